import { useGalleryStore } from '../state/galleryStore';

/** Problems with the last files added that are not attached to any gallery image. */
export function InputMessages() {
  const messages = useGalleryStore((state) => state.inputMessages);
  const dismiss = useGalleryStore((state) => state.dismissInputMessages);
  if (messages.length === 0) return null;
  return (
    <div className="input-messages" role="alert">
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
      <button type="button" className="small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
