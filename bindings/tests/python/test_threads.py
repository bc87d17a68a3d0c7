"""Use from several Python threads at once, while another thread swaps the directory."""

import threading
from concurrent.futures import ThreadPoolExecutor

import passerelle as p
from conftest import query


def test_concurrent_searches_with_directory_swaps(sample_dir, san_mateo_dir):
    import csv

    sample_ids = {r["id"] for r in csv.DictReader(open(sample_dir / "services.csv", encoding="utf-8"))}
    smc_ids = {r["id"] for r in csv.DictReader(open(san_mateo_dir / "services.csv", encoding="utf-8"))}
    assert sample_ids and smc_ids and not (sample_ids & smc_ids)

    nav = p.Navigator.sample()
    expected = nav.search(query("food bank", limit=10))
    stop = threading.Event()
    swaps: list[int] = []

    def swapper():
        paths = [str(san_mateo_dir), str(sample_dir)]
        while not stop.is_set():
            # two unrelated directories: forced, since one has far fewer services
            report = nav.replace_directory_from_path(paths[len(swaps) % 2], force=True)
            assert report.loaded["services"] > 0
            swaps.append(report.loaded["services"])

    def worker(i):
        seen = set()
        for _ in range(50):
            res = nav.search(query("food bank" if i % 2 else "banque alimentaire", limit=10))
            ids = {m.service_id for n in res.needs for m in n.matches}
            # Every result comes whole from one directory, never a mix.
            assert ids <= sample_ids or ids <= smc_ids, ids
            if ids and ids <= sample_ids:
                # and the sample's answer is exactly the single-threaded one
                assert [m.service_id for m in res.needs[0].matches] == [
                    m.service_id for m in expected.needs[0].matches
                ]
                seen.add("sample")
            elif ids:
                seen.add("smc")
        return seen

    t = threading.Thread(target=swapper)
    t.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            seen = set().union(*pool.map(worker, range(8)))
    finally:
        stop.set()
        t.join()
    assert len(swaps) >= 1
    assert seen  # results came back throughout
    # The report always describes the current directory.
    info = nav.directory_info()
    assert nav.import_report().loaded["services"] == info.services


def test_failed_replacement_keeps_current_directory(tmp_path):
    nav = p.Navigator.sample()
    try:
        nav.replace_directory_from_path(str(tmp_path / "nope.json"))
    except p.PasserelleError.DataLoad:
        pass
    else:
        raise AssertionError("no error")
    assert nav.directory_info().services == 102
