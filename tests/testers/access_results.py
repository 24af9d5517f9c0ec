"""Access expectations for a campaign's results (results_views): the page, its charts' JSON
and its downloads.

The startup's founders and staff (admin too) read them, whatever the campaign's state; another
founder does not know the campaign exists (404); mentors and partners never reach the panel
(403, their role); anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect

READERS = expect(403, anonymous=LOGIN, founder=200, other_founder=404, staff=200, admin=200)
#: No such campaign: 404 to the roles that may read results, 403 to the others.
MISSING = expect(403, anonymous=LOGIN, founder=404, other_founder=404, staff=404, admin=404)


def _results(status: str, path: str = ""):
    return lambda w: f"/testers/campaigns/{w.campaigns[status].id}/results{path}"


CASES = {
    "testers.results": [
        Case(_results("running"), READERS),
        Case(_results("closed"), READERS),
        Case(_results("requested"), READERS, note="no invitation yet: the empty state"),
        Case("/testers/campaigns/999999/results", MISSING),
    ],
    "testers.results_chart": [
        Case(_results("running", "/sus.json"), READERS),
        Case(_results("closed", "/nps.json"), READERS),
        Case("/testers/campaigns/999999/results/sus.json", MISSING),
    ],
    "testers.results_download": [
        Case(_results("running", ".csv"), READERS),
        Case(_results("running", ".csv?sheet=responses"), READERS),
        Case(_results("closed", ".xlsx"), READERS),
        Case("/testers/campaigns/999999/results.xlsx", MISSING),
    ],
}
