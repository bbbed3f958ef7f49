"""Rosters as organisers' templates lay them out, imported through the HTTP
API as Excel 97–2003 files that LibreOffice saved."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.bdd.drivers import THROUGH_THE_API

pytestmark = THROUGH_THE_API

scenarios("导入带标题行和页脚的花名册.feature")
