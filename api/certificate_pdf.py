"""A service certificate (志愿服务证明) as an A4 PDF: the title, the fields the
national record rules list as a table, and the number, date and digest. The
Chinese text is set in reportlab's built-in CID font STSong-Light, which needs
no font file."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from domain.certificate import Certificate

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle(
    "title", fontName=FONT, fontSize=22, leading=30, alignment=TA_CENTER
)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=11, leading=15)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> Paragraph:
    return Paragraph(_escaped(text), CELL)


def certificate_rows(certificate: Certificate) -> list[tuple[str, str]]:
    """The certificate's fields, labelled as the printed table shows them."""
    return [
        ("姓名", certificate.name),
        ("手机号（脱敏）", certificate.masked_phone or "—"),
        ("志愿者编号", str(certificate.member_id)),
        ("服务期间", f"{certificate.period_from} 至 {certificate.period_to}"),
        ("志愿服务时长", f"{certificate.hours} 小时"),
        ("参加活动", f"{certificate.activities} 次"),
        ("出具组织", certificate.issuer),
        ("出具日期", certificate.issued_on.isoformat()),
        ("证明编号", certificate.number),
    ]


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate laid out on one A4 page."""
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        title=f"志愿服务证明 {certificate.number}",
        author=certificate.issuer,
        subject="志愿服务证明",
    )
    table = Table(
        [
            [_cell(label), _cell(value)]
            for label, value in certificate_rows(certificate)
        ],
        colWidths=[40 * mm, 120 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    statement = (
        f"兹证明 {certificate.name} 于 {certificate.period_from} 至 "
        f"{certificate.period_to} 期间参加志愿服务活动 {certificate.activities} 次，"
        f"累计志愿服务时长 {certificate.hours} 小时。"
    )
    story = [
        Paragraph("志愿服务证明", TITLE),
        Spacer(1, 10 * mm),
        Paragraph(_escaped(statement), BODY),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 10 * mm),
        Paragraph(_escaped(f"出具组织：{certificate.issuer}"), BODY),
        Paragraph(f"出具日期：{certificate.issued_on.isoformat()}", BODY),
        Paragraph(f"证明编号：{certificate.number}", BODY),
        Spacer(1, 8 * mm),
        Paragraph(f"内容摘要 (SHA-256)：{certificate.digest}", SMALL),
        Paragraph(
            f"事件日志位置 {certificate.position}，摘要 {certificate.head_digest}",
            SMALL,
        ),
        Paragraph("本证明可凭证明编号在 GET /v1/certificates/{编号} 查验真伪。", SMALL),
    ]
    document.build(story)
    return out.getvalue()
