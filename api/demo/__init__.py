"""The demo: the seed report's three districts, 秦皇岛经济技术开发区, 北戴河新区 and
卢龙县, loaded once, reproducibly (seeded), into an empty event log.

Each district is planned so that its figures for the current year (by the
application's clock, Asia/Shanghai) are the ones it published; the figures
come out of its events by the rules, and nothing here writes one. The
aggregates are built by their own methods, after the checks the commands make
of their input, and saved many at a time, in the order a reader of the log
needs: the tree, units, members, teams, activities."""

from api.demo.districts import PLANS, Plan
from api.demo.loader import DistrictLoader, load_demo
from api.demo.summary import DemoSummary, DistrictLoaded

__all__ = [
    "PLANS",
    "DemoSummary",
    "DistrictLoaded",
    "DistrictLoader",
    "Plan",
    "load_demo",
]
