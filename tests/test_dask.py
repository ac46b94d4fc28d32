"""``extractor run --engine dask``: the same records and accounting as the local run."""
import pytest

pytest.importorskip("dask.distributed")

from extractor import batch  # noqa: E402

from test_batch import expected_inputs, make_corpus  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("dask"), n_real=2)


def test_dask_local_cluster_of_two_workers_gives_the_local_records(corpus, tmp_path):
    local = tmp_path / "local.jsonl"
    s1 = batch.run([corpus], local, workers=1, quiet=True)
    out = tmp_path / "dask.jsonl"
    # a LocalCluster of two single-thread workers in this process (quick to start)
    s2 = batch.run([corpus], out, engine="dask", workers=2, quiet=True, dask_processes=False)
    assert s2.engine == "dask" and s2.workers == 2
    assert out.read_bytes() == local.read_bytes()
    assert (s2.articles, s2.records, s2.errors) == (s1.articles, s1.records, s1.errors) == \
        (len(expected_inputs(corpus)),) * 2 + (0,)


def test_dask_with_shipped_bytes_and_resume(corpus, tmp_path):
    """Inputs sent as bytes (a cluster without the shared file system) and --resume skip by id."""
    local = tmp_path / "local.jsonl"
    batch.run([corpus], local, workers=1, quiet=True)
    out = tmp_path / "dask.jsonl"
    lines = local.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:5]))
    s = batch.run([corpus], out, engine="dask", workers=2, quiet=True, dask_processes=False, ship=True,
                  resume=True)
    assert s.skipped == 5 and s.records == s.articles == len(lines)
    assert out.read_bytes() == local.read_bytes()
