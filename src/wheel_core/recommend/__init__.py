"""Which option to sell next: strikes and expirations for a wheel's next leg (DESIGN §4).

:func:`recommend` is a pure function from one :class:`RecommendationRequest`
(the chain, spot, volatility, the wheel's capital or shares, today) to one
:class:`Recommendation`. It never fetches anything, so the same request always
gives the same answer and a user can replay it by hand.

How a strike is chosen:

1. Every listed option of the requested type goes through the named filter
   rules in :data:`~wheel_core.recommend.rules.RULE_ORDER`. A strike is
   counted against the *first* rule that rejects it, so the counts in
   ``Recommendation.rejections`` add up to the strikes that were dropped and
   show *why* nothing may be left.
2. A strike's distance from spot is measured in σ·√T of its own expiry
   (:func:`wheel_core.pricing.sigma_distance`); it survives the σ-band rule
   when that distance lies inside the risk profile's band.
3. The profile prefers the band's upper bound (the safer edge), so each
   expiry has a target price, :func:`wheel_core.pricing.sigma_strike` at the
   upper bound; listed strikes are *snapped* to it by sorting the survivors
   by how close they sit to the upper bound in σ.

Candidates are ordered by ``(expiration, |σ-distance − upper bound|,
further out of the money first, strike)``: the nearest expiration first (the
wheel favours short, weekly premium), and within it the listed strike nearest
the target. ``Recommendation.best`` is therefore the snapped strike of the
nearest acceptable expiry.

Failure modes, chosen on purpose: missing or untrustworthy *market data* (a
stale chain or spot, an empty chain) gives a :class:`Recommendation` with a
:class:`Refusal` and no candidates, because that is an ordinary answer a
scheduled scan must be able to report and carry on from; *caller mistakes*
(a chain for another symbol, negative capital, an inverted DTE window) raise
:class:`~wheel_core.domain.errors.ValidationError`.

Risk numbers (probability ITM, delta, σ-distance) all use the one volatility
in the request, whose method is named in the output, so every figure of a
recommendation is on the same footing even when the chain carries its own
per-strike implied volatilities.

The package's modules, one concern each (it was one 600-line module):

* :mod:`.model` — the request, settings, candidate and answer types and their codes;
* :mod:`.screening` — caller mistakes (raise) and untrustworthy data (refuse);
* :mod:`.legs` — a listed option measured once, and what rules and warnings ask of it;
* :mod:`.rules` — the named filter rules and :data:`~wheel_core.recommend.rules.RULE_ORDER`;
* :mod:`.candidates` — pricing a survivor into a candidate, its warnings, the rank order;
* :mod:`.ranking` — :func:`recommend` and :func:`recommend_many`.

Callers import from this package, which re-exports the public names: the engine's
inside can move again without touching the app layer or the wire.
"""

from wheel_core.recommend.model import (
    YIELD_QUANTUM,
    BatchResult,
    Candidate,
    CandidateWarning,
    FilterRule,
    Recommendation,
    RecommendationRequest,
    RecommendationSettings,
    Refusal,
    RefusalCode,
    WarningCode,
)
from wheel_core.recommend.ranking import recommend, recommend_many
from wheel_core.recommend.rules import RULE_ORDER

__all__ = [
    "RULE_ORDER",
    "YIELD_QUANTUM",
    "BatchResult",
    "Candidate",
    "CandidateWarning",
    "FilterRule",
    "Recommendation",
    "RecommendationRequest",
    "RecommendationSettings",
    "Refusal",
    "RefusalCode",
    "WarningCode",
    "recommend",
    "recommend_many",
]
