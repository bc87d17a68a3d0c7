# Type stubs for `passerelle` (checked by mypy in CI: scripts/test-all.sh --only mypy).
# The generated uniffi module (passerelle.passerelle) is itself annotated; this stub re-exports
# every name of it (test_stubs.py checks that none is missing: there is no `Any` fallback) and
# widens what the Python layer accepts on top of it: facts as plain values (bool, int,
# float, str, list of str, numpy scalars, None), enums as their snake_case strings.
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, SupportsFloat, Union, overload

import pandas as pd
import pyarrow as pa

from . import passerelle as _ffi
from ._rows import (
    CrisisMessage as CrisisMessage,
    CrisisNoticeDict as CrisisNoticeDict,
    ResultRow as ResultRow,
    SearchRows as SearchRows,
)
from .passerelle import (
    Delivery as Delivery,
    Travel as Travel,
    CrisisKind as CrisisKind,
    EligibilityStatus as EligibilityStatus,
    Severity as Severity,
    DeliveryMode as DeliveryMode,
    FactValue as FactValue,
    BatchOptions as BatchOptions,
    BoundingBox as BoundingBox,
    BuildProblem as BuildProblem,
    GeoPoint as GeoPoint,
    CoverageCell as CoverageCell,
    CrisisNotice as CrisisNotice,
    DirectoryInfo as DirectoryInfo,
    RuleCondition as RuleCondition,
    EligibilityOutcome as EligibilityOutcome,
    FactorScore as FactorScore,
    GapCell as GapCell,
    GapOptions as GapOptions,
    GapReport as GapReport,
    CommandLineRun as CommandLineRun,
    ImportLimits as ImportLimits,
    ImportProblem as ImportProblem,
    ImportReport as ImportReport,
    LocalizedText as LocalizedText,
    MatchEligibility as MatchEligibility,
    MatchReason as MatchReason,
    MultiNeedLocation as MultiNeedLocation,
    NeedCount as NeedCount,
    NeedInput as NeedInput,
    ServiceMatch as ServiceMatch,
    NeedMatches as NeedMatches,
    NeedSuggestion as NeedSuggestion,
    Question as Question,
    RuleInfo as RuleInfo,
    SearchResult as SearchResult,
    area_keys_for_points as area_keys_for_points,
    coverage_csv as coverage_csv,
    coverage_geojson as coverage_geojson,
    gap_cells_csv as gap_cells_csv,
    gap_cells_geojson as gap_cells_geojson,
    library_version as library_version,
    localized as localized,
    run_command_line as run_command_line,
    term_is_within as term_is_within,
    validate_lang_code as validate_lang_code,
    validate_point as validate_point,
    validate_rule as validate_rule,
    validate_term_code as validate_term_code,
    InternalError as InternalError,
    ReferralStatus as ReferralStatus,
    OutcomeReason as OutcomeReason,
    UnmetReason as UnmetReason,
    PhoneNumber as PhoneNumber,
    PostalAddress as PostalAddress,
    ContactDetails as ContactDetails,
    EligibilitySettings as EligibilitySettings,
    FactInfo as FactInfo,
    GazetteerProblem as GazetteerProblem,
    InferredConditionInfo as InferredConditionInfo,
    LocationDetails as LocationDetails,
    NavigatorSettings as NavigatorSettings,
    StatusChange as StatusChange,
    Referral as Referral,
    ServiceDetails as ServiceDetails,
    UnmetNeed as UnmetNeed,
    Gazetteer as Gazetteer,
    GazetteerProtocol as GazetteerProtocol,
    NavigatorProtocol as NavigatorProtocol,
    catalog_facts as catalog_facts,
    new_referral as new_referral,
    read_eligibility_text as read_eligibility_text,
    referral_advance as referral_advance,
    referral_follow_up_overdue as referral_follow_up_overdue,
    referral_not_connected as referral_not_connected,
    referrals_from_csv as referrals_from_csv,
    referrals_to_csv as referrals_to_csv,
    unmet_needs_from_csv as unmet_needs_from_csv,
    unmet_needs_to_csv as unmet_needs_to_csv,
)

# The data-team submodules (imported on first attribute access at run time).
from . import batch as batch, dask as dask, gaps as gaps

class PasserelleError(Exception):
    reason: str
    def __init__(self, reason: str) -> None: ...
    class InvalidInput(PasserelleError): ...
    class InvalidRule(PasserelleError):
        line: int
        column: int
        def __init__(self, reason: str, line: int, column: int) -> None: ...
    class DataLoad(PasserelleError): ...
    class LimitExceeded(PasserelleError): ...
    class Internal(PasserelleError): ...

__version__: str

FactLike = Union[bool, int, float, str, Sequence[str], SupportsFloat, FactValue, None]
DeliveryLike = Union[Delivery, str]
TravelLike = Union[Travel, str]

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
        require_accessibility: bool = False,
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
    def from_path(
        cls,
        path: str,
        limits: Optional[ImportLimits] = None,  # type: ignore[override]
        time_zone: Optional[str] = None,  # type: ignore[override]
        gazetteer: Optional[Gazetteer] = None,  # type: ignore[override]
        eligibility: Optional[EligibilitySettings] = None,  # type: ignore[override]
        settings: Optional[NavigatorSettings] = None,  # type: ignore[override]
    ) -> Navigator: ...
    @classmethod
    def from_json(
        cls,
        text: str,
        limits: Optional[ImportLimits] = None,  # type: ignore[override]
        time_zone: Optional[str] = None,  # type: ignore[override]
        gazetteer: Optional[Gazetteer] = None,  # type: ignore[override]
        eligibility: Optional[EligibilitySettings] = None,  # type: ignore[override]
        settings: Optional[NavigatorSettings] = None,  # type: ignore[override]
    ) -> Navigator: ...
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
    text: str,
    facts: Mapping[str, FactLike],
    tables_csv: Optional[str] = None,
    catalog_json: Optional[str] = None,
) -> EligibilityOutcome: ...
def explain_rule_json(
    rule_json: str,
    facts: Mapping[str, FactLike],
    catalog_json: Optional[str] = None,
    tables_csv: Optional[str] = None,
) -> EligibilityOutcome: ...
def search_dict(navigator: _ffi.Navigator, query: Mapping[str, Any]) -> dict[str, Any]: ...
def search_rows(navigator: _ffi.Navigator, query: Mapping[str, Any]) -> SearchRows: ...
@overload
def search_batch(
    navigator: _ffi.Navigator,
    queries: pa.Table,
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
) -> pa.Table: ...
# (the two overloads are one when pandas and pyarrow have no stubs: both types are Any)
@overload
def search_batch(  # type: ignore[overload-cannot-match]
    navigator: _ffi.Navigator,
    queries: pd.DataFrame,
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
) -> pd.DataFrame: ...
