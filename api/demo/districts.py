"""The three districts as data: each one's places, and how many of each thing
it holds, so that its figures for the current year are the ones it published.
The loader (``api.demo.loader``) builds any of them from its plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Plan:
    """One district: its places, and how many of each thing it holds.

    ``streets`` names each street with its communities, each as
    ``名称:党组织`` (党支部 when not named). ``members`` are those registered
    on the figure date, ``members_reported`` the party members whose double
    report is in effect then, ``volunteers`` the distinct members of its
    teams, ``activities`` and ``participations`` those of activities held
    this year. ``reported_participations``, when given, are those of the
    members double-reported (党员双报到), and ``reported_average_points``
    the 人均年积分 of those members that their hours are made to give."""

    name: str
    unit_prefix: str
    actor: str
    streets: tuple[tuple[str, str], ...]
    grids: int
    grid_party_organisations: int
    units: int
    members: int
    members_reported: int
    party_not_reporting: int
    teams: int
    volunteers: int
    activities: int
    participations: int
    least_attendance: int
    durations: tuple[str, ...]
    team_kinds: str
    titles: tuple[tuple[str, str], ...]
    reported_participations: int | None = None
    reported_average_points: Decimal | None = None
    new_teams: int = 2
    dissolved_teams: int = 1
    ended_units: int = 1
    ended_reports: int = 4
    deregistered: int = 3
    movers: int = 5
    phone_changes: int = 2
    registered_this_year: int = 60
    former_volunteers: int = 5
    second_team_share: float = 0.12
    last_year_activities: int = 10
    upcoming_activities: int = 4
    cancelled_activities: int = 1
    corrections: int = 4
    revocations: int = 2


ECONOMIC_DEVELOPMENT_ZONE = Plan(
    name="秦皇岛经济技术开发区",
    unit_prefix="开发区",
    actor="开发区党群工作部",
    streets=(
        (
            "珠江道街道",
            "长江东里社区:党委 珠江道社区 黄山里社区 泰山里社区:党委 华山里社区",
        ),
        (
            "黄河道街道",
            "黄河道社区:党委 天山里社区 嵩山里社区 衡山里社区 燕山里社区:党委",
        ),
        (
            "腾飞路街道",
            "腾飞路社区:党委 龙海道社区 秦皇西大街社区 西港花园社区 永定河道社区",
        ),
        (
            "船厂路街道",
            "海滨路社区:党委 渤海里社区 滨河路社区 金海里社区:党委 昆仑里社区",
        ),
    ),
    grids=213,
    grid_party_organisations=187,
    units=90,
    members=3480,
    members_reported=2741,
    party_not_reporting=150,
    teams=68,
    volunteers=1225,
    activities=320,
    participations=4860,
    least_attendance=5,
    durations=("2", "2.5", "3", "4"),
    team_kinds="红色先锋 邻里守望 银发先锋 青年突击 巾帼 平安守护 文明实践",
    titles=(
        ("政策宣讲", "党的创新理论宣讲 反诈宣传进社区 医保政策宣讲 法律知识讲座"),
        ("环境整治", "楼道杂物清理 背街小巷环境整治 垃圾分类宣传 海滩垃圾清理"),
        ("义诊", "健康义诊进社区 中医义诊 口腔健康检查"),
        ("治安巡逻", "夜间治安巡逻 平安建设巡逻 文明交通劝导"),
        ("关爱老人", "走访慰问独居老人 为老人义务理发 助老餐送餐"),
        ("爱心捐赠", "爱心衣物捐赠 助学捐书"),
        ("便民服务", "家电义务维修 磨刀修伞便民服务"),
    ),
    last_year_activities=12,
    upcoming_activities=5,
    corrections=5,
    revocations=3,
)
BEIDAIHE_NEW_AREA = Plan(
    name="北戴河新区",
    unit_prefix="北戴河新区",
    actor="北戴河新区党群工作部",
    streets=(
        ("团林乡", "团林村:党总支 侯里村 东沙河村"),
        ("刘台庄镇", "刘台庄村:党总支 七里海社区:党委 王庄村"),
        ("大蒲河镇", "大蒲河社区:党委 蒲河口村 黄金海岸社区:党总支"),
        ("留守营镇", "留守营社区:党委 赤洋口村 滨海新城社区:党总支"),
    ),
    grids=43,
    grid_party_organisations=31,
    units=60,
    members=1905,
    members_reported=1421,
    party_not_reporting=90,
    teams=24,
    volunteers=880,
    activities=240,
    participations=7000,
    least_attendance=8,
    durations=("3", "4"),
    team_kinds="党员先锋 海岸守护 乡风文明 巾帼 平安 青年",
    titles=(
        ("环境整治", "海岸线垃圾清理 村庄人居环境整治 沙滩清洁"),
        ("政策宣讲", "乡村振兴政策宣讲 防溺水安全宣传 森林防火宣传"),
        ("助农", "葡萄采摘助农 农产品直播带货"),
        ("治安巡逻", "旅游旺季秩序维护 夜间巡逻"),
        ("关爱老人", "走访慰问留守老人 敬老院陪伴"),
        ("义诊", "健康义诊下乡"),
    ),
    reported_participations=5760,
    reported_average_points=Decimal(102),
    dissolved_teams=0,
    ended_reports=3,
    deregistered=2,
    movers=4,
    registered_this_year=40,
    former_volunteers=4,
    last_year_activities=8,
    upcoming_activities=3,
)
LULONG_COUNTY = Plan(
    name="卢龙县",
    unit_prefix="卢龙县",
    actor="卢龙县委组织部",
    streets=(
        ("卢龙镇", "城关社区:党委 永平社区:党总支 北街村 南关村 西关村"),
        ("燕河营镇", "燕河营村:党总支 桃林口村 柳河北山村 坎上村 龙王庙村"),
        ("双望镇", "双望村:党总支 东双望村 梁家湾村 五里营村 平山营村"),
        ("刘田各庄镇", "刘田各庄村:党总支 朱各庄村 许各庄村 鸡冠山村 周庄村"),
        ("石门镇", "石门村:党总支 大李佃村 西双山村 新立庄村 东阚各庄村"),
        ("木井镇", "木井村:党总支 八王庄村 大东庄村 冯家沟村 王庄子村"),
        ("陈官屯镇", "陈官屯村:党总支 小官庄村 北王庄村 于家庄村 大孙庄村"),
        ("潘庄镇", "潘庄村:党总支 王柳庄村 沙河沿村 张庄村 刘庄村"),
        ("下寨乡", "下寨村:党总支 上寨村 前庄村 后庄村 孟庄村"),
        ("刘家营乡", "刘家营村:党总支 东刘家营村 徐庄村 山后村 杨庄村"),
        ("印庄乡", "印庄村:党总支 大印庄村 小印庄村 郭庄村 韩庄村"),
        ("蛤泊乡", "蛤泊村:党总支 北蛤泊村 西营村 东营村 李庄村"),
    ),
    grids=146,
    grid_party_organisations=92,
    units=70,
    members=4720,
    members_reported=4160,
    party_not_reporting=200,
    teams=120,
    volunteers=1500,
    activities=5160,
    participations=7320,
    reported_participations=7160,
    least_attendance=1,
    durations=("1", "1.5", "2", "3"),
    team_kinds="党员先锋 助农 乡风文明 巾帼 银发 平安",
    titles=(
        ("助农", "甘薯收获助农 粉丝加工帮扶 果园修剪助农 秋收助农"),
        ("环境整治", "农村人居环境整治 村道清扫 河道清理"),
        ("政策宣讲", "政策宣讲进农家 移风易俗宣传 防范电信诈骗宣传"),
        ("关爱老人", "走访留守老人 孤寡老人助餐"),
        ("治安巡逻", "秸秆禁烧巡查 防汛巡查 森林防火巡查"),
        ("义诊", "健康义诊进村"),
    ),
    ended_reports=6,
    deregistered=4,
    movers=8,
    registered_this_year=80,
    former_volunteers=6,
    last_year_activities=30,
    upcoming_activities=8,
    cancelled_activities=2,
    corrections=6,
    revocations=3,
)
PLANS = (ECONOMIC_DEVELOPMENT_ZONE, BEIDAIHE_NEW_AREA, LULONG_COUNTY)
