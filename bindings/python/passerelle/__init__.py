"""passerelle: match residents with community services (Open Referral HSDS 3.1).

This package is a thin Python layer over the generated uniffi bindings
(``passerelle.passerelle``, built from the Rust crate ``passerelle-ffi``). Everything the
Rust side exports is re-exported here, so ``import passerelle`` is all callers need::

    import passerelle
    p = passerelle.validate_point(45.4292, -75.6920)
    passerelle.term_is_within("BD-1800.2000", "BD")   # True

Errors are raised as subclasses of ``passerelle.PasserelleError``
(``PasserelleError.InvalidInput``, ``.InvalidRule``, ``.DataLoad``, ``.LimitExceeded``,
``.Internal``), each with a ``reason`` attribute.

Pure-Python helpers (pandas/pyarrow adapters, …) belong in sibling modules of this package.
"""

from .passerelle import *  # noqa: F401,F403  (the generated uniffi module)
from .passerelle import library_version

__version__ = library_version()
