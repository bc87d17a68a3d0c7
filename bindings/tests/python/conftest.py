"""Guard: these tests must exercise the *installed wheel*, never the source tree."""

import pathlib

import passerelle

SOURCE_TREE = pathlib.Path(__file__).resolve().parents[2]  # bindings/


def pytest_report_header(config):
    return f"passerelle {passerelle.__version__} from {pathlib.Path(passerelle.__file__).parent}"
