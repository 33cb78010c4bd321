"""Request-level errors as RFC 7807 problem details (Litestar's ProblemDetailsPlugin renders them)."""

from __future__ import annotations

from litestar.plugins.problem_details import ProblemDetailsException

_TYPE_BASE = "https://eventhouse.dev/problems/"


def problem(
    status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None, **extra: object
) -> ProblemDetailsException:
    """A problem details exception: `type` names the problem, `detail` says what to change."""
    return ProblemDetailsException(
        status_code=status,
        type_=_TYPE_BASE + slug,
        title=title,
        detail=detail,
        headers=headers,
        extra=extra or None,
    )
