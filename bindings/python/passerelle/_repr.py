"""Readable ``repr`` for the generated records, and the small conveniences that make them feel
like Python values (localized text, enums from snake_case strings, facts from numpy/pandas).

Records get ``Name(field=value, ...)`` in field order. Records that carry a resident's data
(queries, needs, facts, batch options, profiles) are left to ``_redact`` and never get a
field-dumping repr here.
"""

from __future__ import annotations

import enum
import inspect
import typing
from typing import Any, Optional

from . import passerelle as _ffi

# Resident-carrying records: their repr is owned by the redaction layer (_redact.py).
REDACTED = frozenset({"SearchQuery", "NeedInput", "FactValue", "BatchOptions"})


def _is_redacted(name: str) -> bool:
    return name in REDACTED or "Profile" in name


def _value_repr(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, list):
        return "[" + ", ".join(_value_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_value_repr(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _record_repr(self: Any) -> str:
    fields = ", ".join(f"{k}={_value_repr(v)}" for k, v in vars(self).items())
    return f"{type(self).__name__}({fields})"


def _is_record(cls: type) -> bool:
    """A uniffi Record: a plain class whose constructor takes only keyword arguments."""
    if issubclass(cls, (enum.Enum, BaseException)) or hasattr(cls, "_uniffi_clone_handle"):
        return False
    if "__init__" not in vars(cls) or "__eq__" not in vars(cls):
        return False
    try:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    return bool(params) and all(p.kind is p.KEYWORD_ONLY for p in params)


def record_classes() -> list[type]:
    """Every public record class of the generated module."""
    out = []
    for name, obj in vars(_ffi).items():
        if name.startswith("_") or not isinstance(obj, type):
            continue
        if obj.__module__ == _ffi.__name__ and _is_record(obj):
            out.append(obj)
    return out


def enum_classes() -> list[type[enum.Enum]]:
    """Every public (fieldless) enum of the generated module."""
    return [
        obj
        for name, obj in vars(_ffi).items()
        if not name.startswith("_")
        and isinstance(obj, type)
        and issubclass(obj, enum.Enum)
        and obj.__module__ == _ffi.__name__
    ]


# ------------------------------------------------------------------ enums
def _enum_missing(cls: type[enum.Enum], value: object) -> Optional[enum.Enum]:
    """``Delivery("in_person_only")``: the snake_case spelling ``search_dict`` accepts."""
    if isinstance(value, str):
        member = cls.__members__.get(value.upper())
        if member is not None:
            return member
        # The value itself is not echoed: it may come from a resident's query.
        expected = ", ".join(m.lower() for m in cls.__members__)
        raise ValueError(f"not a valid {cls.__name__} (expected one of: {expected})")
    return None


def coerce_enum_fields(record: Any) -> Any:
    """A copy of ``record`` with snake_case strings in enum fields turned into the enum."""
    hints = _enum_fields(type(record))
    changed = {
        k: hints[k](v) for k, v in vars(record).items() if k in hints and isinstance(v, str)
    }
    if not changed:
        return record
    clone = object.__new__(type(record))
    clone.__dict__.update(record.__dict__)
    clone.__dict__.update(changed)
    return clone


_ENUM_FIELDS: dict[type, dict[str, type]] = {}


def _enum_fields(cls: type) -> dict[str, type]:
    if cls not in _ENUM_FIELDS:
        out: dict[str, type] = {}
        try:
            hints = typing.get_type_hints(cls.__init__)
        except Exception:  # noqa: BLE001  (unresolvable annotations: no coercion)
            hints = {}
        for name, hint in hints.items():
            for t in (hint, *typing.get_args(hint)):
                if isinstance(t, type) and issubclass(t, enum.Enum):
                    out[name] = t
        _ENUM_FIELDS[cls] = out
    return _ENUM_FIELDS[cls]


# ------------------------------------------------------------------ localized text
def _localized_get(self: Any, lang: str) -> str:
    """The text in ``lang`` (a BCP 47 code such as ``"fr"``), falling back as Rust does."""
    return _ffi.localized(self, lang)


def install() -> None:
    """Attach the reprs and conveniences to the generated classes (idempotent)."""
    for cls in record_classes():
        if not _is_redacted(cls.__name__):
            cls.__repr__ = _record_repr  # type: ignore[method-assign]
    for ecls in enum_classes():
        ecls._missing_ = classmethod(_enum_missing)  # type: ignore[assignment]
    lt = _ffi.LocalizedText
    lt.get = _localized_get  # type: ignore[attr-defined]
    lt.en = property(lambda self: _localized_get(self, "en"))  # type: ignore[attr-defined]
    lt.fr = property(lambda self: _localized_get(self, "fr"))  # type: ignore[attr-defined]
    lt.__str__ = lambda self: self.value  # type: ignore[method-assign]


def plain_fact(value: Any) -> Any:
    """numpy/pandas scalars as Python values; ``None`` and ``pd.NA`` as ``None`` (unknown).

    NaN stays a number: the engine refuses it, naming the fact (a NaN is a data error, not an
    unknown; pass ``None`` or ``pd.NA`` for unknown)."""
    if value is None:
        return None
    t = type(value)
    if t.__name__ in ("NAType", "NaTType"):
        return None
    if t.__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    elif t.__module__ == "numpy" and hasattr(value, "tolist"):  # numpy arrays of str
        value = value.tolist()
    return value
