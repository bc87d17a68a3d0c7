"""Every fuzz seed (``fuzz/corpus/<target>/seed-*``, as committed) through the Python bindings.

The Rust side has the same sweep without the FFI (``core/tests/hardening_corpus.rs``); this
one checks what a Python caller sees. Each seed goes, as bytes or as text (decoded with
U+FFFD replacement, since a Python ``str`` crossing the FFI must be valid UTF-8), through every
binding that reads untrusted input: rule text, rule tables, HSDS JSON (text and file), HSDS CSV
folders (in the ``hsds_csv`` and ``geojson_area`` targets' formats), need text, fact values,
codes, gap-analysis CSV (unmet needs and referrals) and the Arrow batch path.

Each call must either succeed or raise the bindings' typed error, ``PasserelleError`` with a
variant a caller can act on, and the whole sweep of a seed must write nothing to the process's
stderr (file descriptor 2, with ``RUST_BACKTRACE=1``: a panic message or backtrace there could
quote input). Failures are:

* ``PasserelleError.Internal``: the bindings' ``guard`` caught a Rust panic;
* uniffi's ``InternalError`` (``passerelle.passerelle.InternalError``): a panic that escaped
  ``guard``, which uniffi reports as ``CALL_UNEXPECTED_ERROR`` ("Unknown rust panic" or the
  panic message);
* any other exception.

Structured targets (``schedule``, ``query``, ``values``) decode their bytes with
``arbitrary`` in Rust; here their seeds are driven as raw bytes/text like the others.
"""

import os
import pathlib

import pytest

import passerelle as p
from passerelle import passerelle as ffi
from conftest import BYWARD, MONDAY_10AM, REPO

CORPUS = REPO / "fuzz" / "corpus"

# The hsds_csv target's table selector (fuzz/fuzz_targets/hsds_csv.rs: `TABLES[b % len]`).
HSDS_CSV_TABLES = [
    "organizations", "services", "locations", "service_at_location", "addresses", "phones",
    "schedules", "languages", "service_areas", "cost_options", "required_documents",
    "accessibility", "attributes", "taxonomies", "taxonomy_terms", "eligibility_tables",
    "programs", "datapackage.json",
]
# The hsds_folder target's file selector (fuzz/fuzz_targets/hsds_folder.rs: `FILES[b % len]`).
HSDS_FOLDER_FILES = [
    "organizations.csv", "services.csv", "locations.csv", "service_at_location.csv",
    "phones.csv", "schedules.csv", "languages.csv", "service_areas.csv", "taxonomy_terms.csv",
    "programs.csv", "zz_unknown.csv", "datapackage.json",
]
UNMET_HEADER = "need,population,area,date,reason\n"
REFERRAL_HEADER = (
    "id,need,service_id,service_at_location_id,referred_on,status,follow_up_due,outcome,"
    "population,area,history\n"
)


def seeds():
    assert CORPUS.is_dir(), CORPUS
    found = sorted(f for f in CORPUS.glob("*/seed-*") if f.is_file())  # the committed seeds
    assert len(found) >= 100, f"only {len(found)} seeds under {CORPUS}"
    return found


SEEDS = seeds()


def seed_id(path):
    return f"{path.parent.name}/{path.name}"


class Outcomes:
    """Runs calls and keeps those that ended in anything but success or a typed error."""

    def __init__(self):
        self.bad = []
        self.calls = 0

    def run(self, label, fn, *args, **kw):
        self.calls += 1
        try:
            return fn(*args, **kw)
        except p.PasserelleError.Internal as e:
            self.bad.append(f"{label}: PasserelleError.Internal ({e.reason})")
        except ffi.InternalError as e:
            self.bad.append(f"{label}: uniffi InternalError (escaped panic): {e}")
        except p.PasserelleError:
            return None  # InvalidInput, InvalidRule, DataLoad, LimitExceeded: typed, fine
        except Exception as e:  # noqa: BLE001  (any other exception is a failure)
            self.bad.append(f"{label}: {type(e).__module__}.{type(e).__qualname__}: {e}")
        return None


def hsds_csv_folder(folder, data):
    """The hsds_csv target's format: NUL-separated chunks, first byte picks the table."""
    folder.mkdir()
    written = set()
    for chunk in data.split(b"\0"):
        if not chunk:
            continue
        table = HSDS_CSV_TABLES[chunk[0] % len(HSDS_CSV_TABLES)]
        if table in written:
            continue
        written.add(table)
        name = table if table.endswith(".json") else f"{table}.csv"
        (folder / name).write_bytes(chunk[1:])
    return folder


def hsds_folder(folder, data):
    """The hsds_folder target's format: NUL-separated chunks, first byte picks the file."""
    folder.mkdir()
    written = set()
    for chunk in data.split(b"\0"):
        if not chunk:
            continue
        name = HSDS_FOLDER_FILES[chunk[0] % len(HSDS_FOLDER_FILES)]
        if name not in written:
            written.add(name)
            (folder / name).write_bytes(chunk[1:])
    return folder


def drive(out, sample, data, tmp_path):
    text = data.decode("utf-8", errors="replace")

    # rules
    info = out.run("validate_rule", p.validate_rule, text)
    if info is not None:
        # What validates prints to text that validates again to the same rule.
        again = out.run("validate_rule(printed)", p.validate_rule, info.printed)
        assert again is not None and again.json == info.json, info.printed
    out.run("explain_rule", p.explain_rule, text, {})
    out.run("validate_rule(tables_csv)", p.validate_rule, "age >= 1", tables_csv=text)

    # HSDS JSON, as text and as a file (bytes as they are, possibly not UTF-8)
    nav = out.run("Navigator.from_json", p.Navigator.from_json, text)
    if nav is not None:
        out.run("import_report", nav.import_report)
        out.run("search(imported)", nav.search, p.SearchQuery(needs=[p.NeedInput(text="food")]))
    json_file = tmp_path / "seed.json"
    json_file.write_bytes(data)
    out.run("Navigator.from_path(json)", p.Navigator.from_path, str(json_file))
    out.run("replace_directory_from_json", p.Navigator.sample().replace_directory_from_json, text)

    # HSDS CSV folders: the hsds_csv format, the bytes as each main table, as an extent
    nav = out.run("from_path(hsds_csv)", p.Navigator.from_path,
                  str(hsds_csv_folder(tmp_path / "chunks", data)))
    if nav is not None:
        out.run("search(hsds_csv)", nav.search,
                p.SearchQuery(needs=[p.NeedInput(text="food bank")], lat=BYWARD[0], lon=BYWARD[1],
                              at_epoch_seconds=MONDAY_10AM))
    out.run("from_path(hsds_folder)", p.Navigator.from_path,
            str(hsds_folder(tmp_path / "folder", data)), p.ImportLimits(min_services=0))
    for table in ("organizations", "services", "locations", "schedules", "service_areas"):
        d = tmp_path / f"as-{table}"
        d.mkdir()
        (d / f"{table}.csv").write_bytes(data)
        out.run(f"from_path({table}.csv)", p.Navigator.from_path, str(d))
    d = tmp_path / "extent"
    d.mkdir()
    quoted = data.replace(b'"', b'""')
    (d / "service_areas.csv").write_bytes(b'id,service_id,extent\na1,,"' + quoted + b'"\n')
    out.run("from_path(extent)", p.Navigator.from_path, str(d))
    d = tmp_path / "rule-in-feed"
    d.mkdir()
    rule = text.replace('"', '""')
    (d / "organizations.csv").write_text("id,name\no1,Org\n", encoding="utf-8")
    (d / "services.csv").write_text(
        f'id,organization_id,name,eligibility_rule\ns1,o1,Food bank,"{rule}"\n', encoding="utf-8"
    )
    nav = out.run("from_path(rule in feed)", p.Navigator.from_path, str(d))
    if nav is not None:
        out.run("evaluate_eligibility(rule in feed)", nav.evaluate_eligibility, "s1", {"age": 30})

    # queries: need text (in pieces under the 1 KiB limit, and whole), facts, codes
    for i in range(0, min(len(text), 4096), 1000):
        q = p.SearchQuery(needs=[p.NeedInput(text=text[i:i + 1000])], lat=BYWARD[0],
                          lon=BYWARD[1], at_epoch_seconds=MONDAY_10AM, include_ineligible=True)
        out.run("search(need)", sample.search, q)
    out.run("search(whole need)", sample.search, p.SearchQuery(needs=[p.NeedInput(text=text)]))
    out.run("search(terms)", sample.search,
            p.SearchQuery(needs=[p.NeedInput(terms=[text[:200]])], languages=[text[:20]]))
    for fact in ("province", "housing_status", "population", text[:64]):
        value = [text[:64]] if fact == "population" else text[:256]
        out.run(f"evaluate_eligibility({fact})", sample.evaluate_eligibility,
                "svc-rent-assist-arrears", {fact: value})
    out.run("evaluate_eligibility(service id)", sample.evaluate_eligibility, text[:256], {})
    out.run("next_questions", sample.next_questions, {}, [text[:256]])
    out.run("validate_lang_code", p.validate_lang_code, text)
    out.run("validate_term_code", p.validate_term_code, text)
    out.run("term_is_within", p.term_is_within, text, "food")

    # gap analysis: the bytes as unmet-need CSV, with and after a valid header, and as referrals
    options = p.GapOptions()
    out.run("analyze_gaps(unmet)", sample.analyze_gaps, text, None, [], options)
    out.run("analyze_gaps(unmet rows)", sample.analyze_gaps, UNMET_HEADER + text, None, [], options)
    out.run("analyze_gaps(referrals)", sample.analyze_gaps, UNMET_HEADER, text, [], options)
    out.run("analyze_gaps(referral rows)", sample.analyze_gaps, UNMET_HEADER,
            REFERRAL_HEADER + text, [], options)

    # the Arrow batch path takes raw bytes
    if hasattr(sample, "search_batch_arrow"):
        out.run("search_batch_arrow", sample.search_batch_arrow, data, p.BatchOptions())


@pytest.mark.parametrize("seed", SEEDS, ids=seed_id)
def test_fuzz_seed_gives_success_or_typed_error(seed, sample, tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    capfd.readouterr()
    out = Outcomes()
    drive(out, sample, seed.read_bytes(), tmp_path)
    assert out.calls >= 30
    assert not out.bad, "\n".join(out.bad)
    assert capfd.readouterr().err == "", "the library wrote to stderr"
    # The shared navigator still works after everything thrown at it.
    assert sample.search(p.SearchQuery(needs=[p.NeedInput(text="food bank")])).needs[0].total > 0


def test_outcomes_catches_what_it_must(sample):
    """The check above can fail: a typed error passes, anything else is recorded."""
    out = Outcomes()
    out.run("typed", p.validate_rule, "age >=")
    assert out.bad == []

    def internal():
        raise p.PasserelleError.Internal(reason="boom")

    def escaped():
        raise ffi.InternalError("Unknown rust panic")

    def other():
        raise RuntimeError("boom")

    for fn in (internal, escaped, other):
        out.run(fn.__name__, fn)
    assert [b.split(":")[0] for b in out.bad] == ["internal", "escaped", "other"]


def test_corpus_covers_every_fuzz_target():
    targets = {f.stem for f in (REPO / "fuzz" / "fuzz_targets").glob("*.rs")}
    with_seeds = {s.parent.name for s in SEEDS}
    assert targets <= with_seeds, f"fuzz targets without seeds: {sorted(targets - with_seeds)}"


def test_stderr_capture_sees_native_writes(capfd):
    """The stderr check above can fail: capfd reads file descriptor 2, where native code
    (a Rust panic hook, eprintln!) writes, not only Python's sys.stderr."""
    os.write(2, b"native write\n")
    assert capfd.readouterr().err == "native write\n"
