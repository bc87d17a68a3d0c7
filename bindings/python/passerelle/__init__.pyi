# Type stubs for `passerelle` (checked by mypy in CI: scripts/test-all.sh --only mypy).
# The generated uniffi module (passerelle.passerelle) is itself annotated; this stub re-exports
# it and widens what the Python layer accepts on top of it: facts as plain values (bool, int,
# float, str, list of str, numpy scalars, None), enums as their snake_case strings.
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, SupportsFloat, Union

from . import passerelle as _ffi
from .passerelle import *  # noqa: F403
from .passerelle import (
    BatchOptions as BatchOptions,
    BilingualText as _BilingualText,
    Delivery as Delivery,
    EligibilityOutcome as EligibilityOutcome,
    FactValue as FactValue,
    ImportLimits as ImportLimits,
    LocalizedText as _LocalizedText,
    NeedInput as NeedInput,
    PasserelleError as PasserelleError,
    Question as Question,
    SearchResult as SearchResult,
    Travel as Travel,
)

__version__: str

FactLike = Union[bool, int, float, str, Sequence[str], SupportsFloat, FactValue, None]
DeliveryLike = Union[Delivery, str]
TravelLike = Union[Travel, str]

class LocalizedText(_LocalizedText):
    def get(self, lang: str) -> str: ...
    @property
    def en(self) -> str: ...
    @property
    def fr(self) -> str: ...

class BilingualText(_BilingualText):
    def get(self, lang: str) -> str: ...

class SearchQuery(_ffi.SearchQuery):
    def __init__(
        self,
        *,
        needs: Sequence[NeedInput],
        lat: Optional[float] = None,
        lon: Optional[float] = None,
        max_distance_km: Optional[float] = None,
        delivery: Optional[DeliveryLike] = None,
        travel: Optional[TravelLike] = None,
        facts: Mapping[str, FactLike] = ...,
        languages: Sequence[str] = ...,
        require_language: bool = False,
        accessibility: Sequence[str] = ...,
        free_only: bool = False,
        open_now: bool = False,
        at_epoch_seconds: Optional[int] = None,
        populations: Sequence[str] = ...,
        include_ineligible: bool = False,
        limit: int = 5,
        offset: int = 0,
        explain: bool = False,
    ) -> None: ...

class Navigator(_ffi.Navigator):
    @classmethod
    def sample(cls) -> Navigator: ...
    @classmethod
    def from_path(cls, path: str, limits: Optional[ImportLimits] = None) -> Navigator: ...
    @classmethod
    def from_json(cls, text: str, limits: Optional[ImportLimits] = None) -> Navigator: ...
    def search_batch(self, queries: Sequence[_ffi.SearchQuery]) -> list[SearchResult]: ...  # type: ignore[override]
    def evaluate_eligibility(  # type: ignore[override]
        self, service_id: str, facts: Mapping[str, FactLike]
    ) -> EligibilityOutcome: ...
    def next_questions(  # type: ignore[override]
        self, facts: Mapping[str, FactLike], service_ids: Optional[Sequence[str]] = None
    ) -> list[Question]: ...

def fact_value(value: FactLike) -> FactValue: ...
def facts(values: Optional[Mapping[str, FactLike]]) -> dict[str, FactValue]: ...
def explain_rule(
    text: str, facts: Mapping[str, FactLike], tables_csv: Optional[str] = None
) -> EligibilityOutcome: ...
def search_dict(navigator: _ffi.Navigator, query: Mapping[str, Any]) -> dict[str, Any]: ...
def search_batch(
    navigator: _ffi.Navigator,
    queries: Any,
    *,
    limit: int = 5,
    max_distance_km: Optional[float] = None,
    delivery: Optional[DeliveryLike] = None,
    travel: Optional[TravelLike] = None,
    languages: Iterable[str] = (),
    include_ineligible: bool = False,
    open_now: bool = False,
    free_only: bool = False,
    at_epoch_seconds: Optional[int] = None,
) -> Any: ...
