"""The road world: determinism, label consistency, disjoint anomaly families."""
import numpy as np
import pytest

from flowclas_factory import world


def test_scene_is_deterministic():
    a = world.render_scene(123, (224, 112))
    b = world.render_scene(123, (224, 112))
    for k in ("image", "labels", "instances", "anomaly"):
        assert np.array_equal(a[k], b[k]), k
    c = world.render_scene(124, (224, 112))
    assert not np.array_equal(a["image"], c["image"])


def test_scene_outputs_consistent():
    s = world.render_scene(5, (336, 336), anomalies="test", n_objects=2)
    assert s["image"].shape == (336, 336, 3) and s["image"].dtype == np.uint8
    assert set(np.unique(s["anomaly"])) <= {0, 1, 255}
    assert (s["anomaly"] == 1).any()
    assert np.array_equal(s["anomaly"] == 1, s["labels"] == world.ANOMALY_CLASS)
    assert (s["instances"] > 0).all()
    ok = s["labels"] != world.ANOMALY_CLASS
    assert s["labels"][ok].max() < world.NUM_CLASSES


def test_clean_scene_has_no_anomaly():
    s = world.render_scene(9, (224, 336), anomalies="none")
    assert not (s["anomaly"] != 0).any()


def test_families_disjoint():
    assert not set(world.TEST_FAMILIES) & set(world.OE_FAMILIES)


def test_oe_pair():
    p = world.render_oe_pair(3, (224, 112))
    assert p["family"] in world.OE_FAMILIES
    for v in ("mixed", "view2"):
        assert p[v]["pasted"].any()
        assert (p[v]["labels"][p[v]["pasted"]] == world.ANOMALY_CLASS).all()


def test_testset_writer(tmp_path):
    from PIL import Image
    names = world.write_testset(7, 3, tmp_path)
    assert len(names) == 3
    for i, n in enumerate(names):
        img = Image.open(tmp_path / f"{n}.png")
        gt = np.asarray(Image.open(tmp_path / f"{n}_gt.png"))
        assert img.mode == "RGB" and img.size == world.test_size_for(i)
        assert gt.ndim == 2 and set(np.unique(gt)) <= {0, 1, 255}


def test_pretraining_world_families_are_their_own():
    names = set(world.CLUTTER_SHAPES) | set(world.CLUTTER_MATERIALS)
    assert not names & set(world.TEST_FAMILIES) and not names & set(world.OE_FAMILIES)


def test_varied_scene_is_deterministic_and_labels_clutter_as_no_class():
    a = world.render_varied_scene(11, (336, 336))
    b = world.render_varied_scene(11, (336, 336))
    for k in ("image", "labels", "instances", "anomaly"):
        assert np.array_equal(a[k], b[k]), k
    assert not a["anomaly"].any()  # pretraining only: nothing in it is a test anomaly
    ok = a["labels"] != world.ANOMALY_CLASS
    assert a["labels"][ok].max() < world.NUM_CLASSES
    clutter = [world.render_varied_scene(s, (224, 112))["labels"] == world.ANOMALY_CLASS for s in range(6)]
    assert sum(c.any() for c in clutter) >= 3


@pytest.mark.parametrize("shape", world.CLUTTER_SHAPES)
def test_clutter_shapes_are_compact_objects(shape):
    m = world.clutter_mask(shape, np.random.default_rng(1), 96, 96, 48.0, 48.0, 40.0)
    ys, xs = np.nonzero(m)
    assert 40 < m.sum() < 40 * 40
    assert ys.min() >= 48 - 21 and ys.max() <= 48 + 21 and xs.min() >= 48 - 21 and xs.max() <= 48 + 21


@pytest.mark.parametrize("material", world.CLUTTER_MATERIALS)
def test_clutter_materials_are_colour_fields(material):
    c = world.clutter_material(material, np.random.default_rng(2), 40, 60, 20.0)
    assert c.shape == (40, 60, 3) and np.isfinite(c).all()
    assert c.std() > 0.5  # not a constant


def test_road_scenes_are_unchanged_by_the_pretraining_world():
    """The held-out scenes come from render_scene; the committed first sample (one of the build's landscape
    sample candidates, every third from index 0) pins its output."""
    from pathlib import Path
    from PIL import Image
    from flowclas_factory.build import FULL, SAMPLE_SEED
    sample = Path(__file__).resolve().parents[2] / "public" / "samples" / "road_01_landscape.png"
    committed = np.asarray(Image.open(sample).convert("RGB"))
    rendered = (world.render_scene(int(world.rng_for(SAMPLE_SEED, i).integers(0, 2**31)), world.SIZES["landscape"],
                                   "test")["image"] for i in range(0, FULL["sample_candidates"], 3))
    assert any(np.array_equal(committed, image) for image in rendered)
