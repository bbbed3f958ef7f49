"""What the API asks of the read models, each question answered by the read
model that holds it; plain data, decimals as strings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from domain.points import DEFAULT_STAR_THRESHOLDS
from projections.activities import ActivityQueries
from projections.attendances import AttendanceQueries
from projections.claims import ClaimQueries
from projections.figures import FigureQueries
from projections.history import HistoryQueries
from projections.ledger import LedgerQueries
from projections.members import MemberQueries
from projections.organisation import OrganisationQueries
from projections.organisers import OrganiserQueries
from projections.paging import BadCursor
from projections.phones import PhoneQueries
from projections.place_search import PlaceSearch
from projections.redemption import RedemptionQueries
from projections.redemption_list import RedemptionListQueries
from projections.reports import ReportQueries
from projections.rules import RuleSetQueries
from projections.sealing import Sealer
from projections.service_record import ServiceRecordQueries
from projections.signups import SignupQueries
from projections.sql import Reader
from projections.statements import PointsQueries, StatementQueries
from projections.team_members import TeamMemberQueries
from projections.teams import TeamQueries
from projections.tokens import TokenQueries

__all__ = ["BadCursor", "Queries"]


class Queries:
    """Every query of every read model, in one place for the API."""

    def __init__(
        self,
        view: Reader,
        star_thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS,
        sealer: Sealer | None = None,
    ) -> None:
        sealer = sealer or Sealer()
        points = PointsQueries(view, star_thresholds)
        self.member_points = points.member_points
        self.member_points_plan = points.points_plan
        statements = StatementQueries(view, points)
        self.statement = statements.statement
        self.statement_page = statements.statement_page
        members = MemberQueries(view, sealer)
        self.member = members.member
        self.community_members = members.community_members
        self.involvement = members.involvement
        teams = TeamQueries(view)
        self.team = teams.team
        self.teams = teams.teams
        self.team_members = TeamMemberQueries(view, sealer).team_members
        activities = ActivityQueries(view)
        self.activity = activities.activity
        self.activities = activities.activities
        self.activity_attendances = AttendanceQueries(view, sealer).activity_attendances
        self.activity_signups = SignupQueries(view, sealer).activity_signups
        figures = FigureQueries(view, sealer)
        self.stats = figures.stats
        self.stats_with_position = figures.stats_with_position
        self.leaderboard = figures.leaderboard
        self.every_scope = figures.every_scope
        self.years_held = figures.years_held
        organisation = OrganisationQueries(view, sealer)
        self.districts = organisation.districts
        self.streets = organisation.streets
        self.communities = organisation.communities
        self.grids = organisation.grids
        self.units = organisation.units
        self.place_name = organisation.place_name
        self.community_double_reports = organisation.community_double_reports
        self.unit_double_reports = organisation.unit_double_reports
        places = PlaceSearch(view)
        self.community = places.community
        self.communities_matching = places.communities_matching
        history = HistoryQueries(view, sealer)
        self.member_history = history.member_history
        self.activity_history = history.activity_history
        self.ledger = LedgerQueries(view, sealer)
        self.community_claims = ClaimQueries(view).community_claims
        self.service_record = ServiceRecordQueries(view).service_record
        redemptions = RedemptionQueries(view)
        self.rewards = redemptions.rewards
        self.earned_by_year = redemptions.earned_by_year
        self.account = redemptions.account
        listed = RedemptionListQueries(view, sealer)
        self.community_redemptions = listed.community_redemptions
        self.reports = ReportQueries(view).reports
        phones = PhoneQueries(view, sealer)
        self.members_by_phone = phones.members_by_phone
        self.members_by_id = phones.members_by_id
        self.organisers = OrganiserQueries(view, sealer).organisers
        self.tokens = TokenQueries(view).tokens
        self.grid_names = phones.grid_names
        self.unit_names = phones.unit_names
        rule_sets = RuleSetQueries(view)
        self.rule_set = rule_sets.rule_set
        self.rule_sets = rule_sets.rule_sets
