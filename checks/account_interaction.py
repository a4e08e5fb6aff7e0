"""account-interaction: poor interaction on a government account (互动回应差).

国办秘函〔2019〕19号, new-media indicators, single veto 「互动回应差」: an
account with a message or comment function that leaves the public's
messages unanswered for a long time, or answers by rote. No feed shows
messages and replies, so only an auditor's recorded result judges it
(`govsite accounts record`); without one it is simply not evaluated.
"""

from __future__ import annotations

from govsite.checks.account_base import INDICATORS_2019_MEDIA, AccountCheck


class AccountInteraction(AccountCheck):
    title_zh = "互动回应差"
    title_en = "Poor interaction"
    indicator = f"{INDICATORS_2019_MEDIA} 单项否决指标「互动回应差」"
    severity = "veto"
    category = "interaction"
    remediation = ("Answer the public's messages on the account in time, with substance, "
                   "and keep a record of the replies.")
