import { useEffect, useId, useState } from 'react';
import { ACCEPTED_IMAGE_TYPES } from '../images/imageFileKinds';
import { collectDroppedFiles, namedFiles } from '../images/collectDroppedFiles';
import { addFiles } from './addFiles';
import { InputMessages } from './InputMessages';

/** Drop files or folders anywhere on the page, pick them, or paste an image. */
export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const filesId = useId();
  const folderId = useId();

  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      if (!event.dataTransfer) return;
      event.preventDefault();
      void collectDroppedFiles(event.dataTransfer).then(addFiles);
    };
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      addFiles(namedFiles(files));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, []);

  return (
    <section className={`drop-zone${dragging ? ' dragging' : ''}`} aria-labelledby="add-heading">
      <h2 id="add-heading">Add images</h2>
      <p className="muted">
        Drop images or folders anywhere, or paste an image. Ground truth pairs by name (
        <code>x.png</code> + <code>x_gt.png</code>, or <code>images/</code> + <code>masks/</code>);
        drop a mask onto an image to attach it.
      </p>
      <div className="button-row">
        <label htmlFor={filesId} className="file-button">
          Choose images…
        </label>
        <input
          id={filesId}
          className="visually-hidden"
          type="file"
          multiple
          accept={`${ACCEPTED_IMAGE_TYPES},.npy`}
          onChange={(event) => {
            addFiles(namedFiles([...(event.target.files ?? [])]));
            event.target.value = '';
          }}
        />
        <label htmlFor={folderId} className="file-button">
          Choose a folder…
        </label>
        <input
          id={folderId}
          className="visually-hidden"
          type="file"
          webkitdirectory=""
          onChange={(event) => {
            addFiles(namedFiles([...(event.target.files ?? [])]));
            event.target.value = '';
          }}
        />
      </div>
      <InputMessages />
    </section>
  );
}
