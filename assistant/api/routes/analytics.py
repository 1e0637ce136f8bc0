"""Analytics for curators: traffic and quality overview, content gaps by meaning; JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from assistant.api.deps import PrincipalDep, ServicesDep
from assistant.curation.analytics import gaps_csv, overview_csv

router = APIRouter(prefix="/v1/analytics", tags=["curation"])

Days = Annotated[int, Query(ge=1, le=366, description="The window: the last N days")]
Format = Annotated[Literal["json", "csv"], Query(description="csv downloads a spreadsheet")]


def _csv(text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/overview")
def overview(services: ServicesDep, principal: PrincipalDep, days: Days = 7, format: Format = "json") -> Any:
    """Questions per day and channel, answered vs not found, votes, top questions, most cited documents."""
    data = services.analytics.overview(principal, days)
    return _csv(overview_csv(data), f"overview-{days}d") if format == "csv" else data


@router.get("/gaps")
def gaps(services: ServicesDep, principal: PrincipalDep, days: Days = 30, format: Format = "json") -> Any:
    """Not-found and 👎 questions clustered by meaning: label, size, trend, examples. Biggest first."""
    clusters = services.analytics.gaps(principal, days)
    return _csv(gaps_csv(clusters), f"gaps-{days}d") if format == "csv" else {"gaps": clusters}
