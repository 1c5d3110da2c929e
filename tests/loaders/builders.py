"""A small hand-made extract builder for the loader tests (independent of the generator).

`ExtractBuilder` collects rows per table (dicts) plus raw lines, and writes a folder in the
format of docs/extract-format.md (CSV in any supported encoding, or Parquet per table).
`small_county()` returns a coherent little county with planted facts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from stdnum.cn import ric, uscc

from guanxi.loaders.schema import SPECS, TABLE_ORDER


def id_number(n: int, born: str = "19800101", region: str = "341024") -> str:
    """Return a valid 18-character 身份证 number (right check digit) for sequence `n`."""
    body = f"{region}{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def bad_id_number(n: int) -> str:
    """Return a 身份证 number whose check digit is wrong."""
    good = id_number(n)
    wrong = "0" if good[-1] != "0" else "1"
    return good[:-1] + wrong


def uscc_code(n: int, region: str = "341024") -> str:
    """Return a valid 统一社会信用代码 for sequence `n`."""
    body = f"91{region}MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def bad_uscc(n: int) -> str:
    """Return a USCC whose check digit is wrong."""
    good = uscc_code(n)
    wrong = "0" if good[-1] != "0" else "1"
    return good[:-1] + wrong


@dataclass
class ExtractBuilder:
    """Rows per table; `write()` makes an extract folder."""

    as_of: str = "2026-10-31"
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    raw_lines: dict[str, list[str]] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)

    def add(self, table: str, **values: object) -> ExtractBuilder:
        """Add one row to `table` (values as text; None → empty cell); return self."""
        self.rows.setdefault(table, []).append(
            {k: "" if v is None else str(v) for k, v in values.items()}
        )
        return self

    def raw(self, table: str, line: str) -> ExtractBuilder:
        """Append a raw line (written verbatim after the rows); return self."""
        self.raw_lines.setdefault(table, []).append(line)
        return self

    def header(self, table: str) -> list[str]:
        """Return the header written for `table`: schema columns then extra ones."""
        return SPECS[table].names + self.extra_columns.get(table, [])

    def write(
        self,
        folder: Path,
        *,
        encoding: str = "utf-8",
        bom: bool = False,
        parquet: tuple[str, ...] = (),
        crlf: bool = False,
    ) -> Path:
        """Write the extract to `folder` and return it."""
        folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        for table in TABLE_ORDER:
            if table not in self.rows and table not in self.raw_lines:
                continue
            cols = self.header(table)
            rows = self.rows.get(table, [])
            if table in parquet:
                name = f"{table}.parquet"
                data = {c: [r.get(c, "") or None for r in rows] for c in cols}
                pq.write_table(
                    pa.table({c: pa.array(v, pa.string()) for c, v in data.items()}), folder / name
                )
            else:
                name = f"{table}.csv"
                buf = io.StringIO()
                w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
                w.writerow(cols)
                for r in rows:
                    w.writerow([r.get(c, "") for c in cols])
                text = buf.getvalue() + "".join(
                    line + "\n" for line in self.raw_lines.get(table, [])
                )
                data_b = text.encode(encoding)
                if bom:
                    data_b = b"\xef\xbb\xbf" + data_b
                (folder / name).write_bytes(data_b)
            files[table] = name
        manifest = {
            "as_of": self.as_of,
            "encoding": encoding,
            "bank": "测试农商银行",
            "files": files,
        }
        (folder / "manifest.yaml").write_text(
            yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return folder


def small_county(as_of: str = "2026-10-31") -> ExtractBuilder:
    """Return a coherent small county: 1 branch, 2 managers, 2 grids, 4 households,
    8 persons, 3 companies, 1 merchant, 12 accounts (1 external), 3 loans, 4 guarantees,
    10 transfers, 3 referrals, 3 negative records (by id, by unique name, unresolved)."""
    b = ExtractBuilder(as_of)
    b.add("branches", branch_id="BR1", name="祁门支行", county="祁门县", address="祁山镇1号")
    b.add("managers", manager_id="M1", name="王经理", branch_id="BR1", phone="13800000001")
    b.add("managers", manager_id="M2", name="李经理", branch_id="BR1", phone="138-0000-0002")
    b.add(
        "grids",
        grid_id="G1",
        name="平里村",
        kind="village",
        village="平里",
        branch_id="BR1",
        manager_id="M1",
    )
    b.add(
        "grids",
        grid_id="G2",
        name="城东社区",
        kind="community",
        village="",
        branch_id="BR1",
        manager_id="M2",
    )
    for h in range(4):
        b.add("households", household_id=f"H{h}", grid_id="G1" if h < 2 else "G2", address=f"{h}号")
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"]
    tiers = ["高端", "核心", "基础", "潜在", "核心", "基础", "潜在", "核心"]
    for i, name in enumerate(names):
        b.add(
            "persons",
            id_number=id_number(i + 1, born=f"19{70 + i}0{1 + i % 9}1{i}"),
            name=name,
            sex="男" if i % 2 == 0 else "女",
            birth_date=None,
            phone=f"1390000{i:04d}",
            household_id=f"H{i // 2}",
            relation_to_head="户主" if i % 2 == 0 else "配偶",
            tier=tiers[i],
            is_customer="1",
            tags="农户;种植" if i < 4 else "",
            manager_id="M1" if i < 4 else "M2",
        )
    P = [id_number(i + 1, born=f"19{70 + i}0{1 + i % 9}1{i}") for i in range(8)]
    C = [uscc_code(i + 1) for i in range(3)]
    for i, c in enumerate(C):
        b.add(
            "enterprises",
            uscc=c,
            name=["祁红茶业有限公司", "平里建材有限公司", "城东商贸有限公司"][i],
            legal_rep_id=P[i * 2],
            legal_rep_name=names[i * 2],
            industry="C1530",
            registered_capital="1,000,000.00",
            status="存续",
            address="祁门县",
            grid_id="G1",
            is_customer="1",
            tier="核心",
            manager_id="M1",
        )
    b.add("enterprise_roles", holder_type="person", holder_id=P[0], uscc=C[0], role="legal_rep")
    b.add(
        "enterprise_roles",
        holder_type="person",
        holder_id=P[1],
        uscc=C[0],
        role="shareholder",
        share="0.6",
    )
    b.add(
        "enterprise_roles",
        holder_type="company",
        holder_id=C[1],
        uscc=C[0],
        role="shareholder",
        share="0.4",
    )
    b.add(
        "enterprise_roles",
        holder_type="person",
        holder_id=P[3],
        uscc=C[1],
        role="executive",
        title="总经理",
    )
    b.add(
        "merchants",
        merchant_id="S1",
        name="张三小卖部",
        owner_type="person",
        owner_id=P[0],
        mcc="5411",
        account_no="6230000000000001",
        grid_id="G1",
    )
    for i in range(8):
        b.add(
            "accounts",
            account_no=f"62300000000000{i + 1:02d}",
            owner_type="person",
            owner_id=P[i],
            in_bank="1",
            kind="结算",
            opened_on="2020-01-0" + str(1 + i),
        )
    for i in range(3):
        b.add(
            "accounts",
            account_no=f"62310000000000{i + 1:02d}",
            owner_type="company",
            owner_id=C[i],
            in_bank="1",
            kind="对公",
            opened_on="2019/05/01",
        )
    b.add(
        "accounts",
        account_no="9558800000000001",
        owner_type="external",
        owner_id=None,
        in_bank="0",
        bank_name="工商银行",
        kind="结算",
    )
    b.add(
        "loans",
        loan_id="LN1",
        borrower_type="company",
        borrower_id=C[0],
        product="经营贷",
        amount="500000",
        balance="400000",
        rate="4.35",
        start_date="2025-03-01",
        maturity_date="2028-03-01",
        classification="正常",
        overdue_days="0",
        account_no="6231000000000001",
    )
    b.add(
        "loans",
        loan_id="LN2",
        borrower_type="person",
        borrower_id=P[1],
        product="农户小额",
        amount="50000",
        balance="50000",
        rate="5.1",
        start_date="20250601",
        maturity_date="2026-06-01",
        classification="关注",
        overdue_days="31",
        account_no="",
    )
    b.add(
        "loans",
        loan_id="LN3",
        borrower_type="company",
        borrower_id=C[1],
        product="经营贷",
        amount="300000",
        balance="300000",
        rate="4.8",
        start_date="2025-07-15",
        classification="正常",
        overdue_days="0",
        account_no="6231000000000002",
    )
    b.add(
        "guarantees",
        loan_id="LN1",
        guarantor_type="company",
        guarantor_id=C[1],
        gtype="保证",
        amount="500000",
        start_date="2025-03-01",
    )
    b.add(
        "guarantees",
        loan_id="LN3",
        guarantor_type="company",
        guarantor_id=C[0],
        gtype="保证",
        amount="300000",
        start_date="2025-07-15",
    )
    b.add(
        "guarantees",
        loan_id="LN2",
        guarantor_type="person",
        guarantor_id=P[2],
        gtype="保证",
        group_id="LB1",
    )
    b.add(
        "guarantees",
        loan_id="LN2",
        guarantor_type="person",
        guarantor_id=P[3],
        gtype="保证",
        group_id="LB1",
    )
    for t in range(10):
        b.add(
            "transfers",
            transfer_id=f"T{t:04d}",
            from_account=f"62300000000000{t % 8 + 1:02d}",
            to_account="9558800000000001" if t == 9 else f"62300000000000{(t + 1) % 8 + 1:02d}",
            amount=f"{1000 + t * 10:.2f}",
            ts=f"2026-10-{t + 1:02d} 0{t % 10}:30:00",
            channel="手机银行",
            memo="货款" if t % 2 else "",
        )
    b.add(
        "referrals",
        referrer_id=P[0],
        referee_id=P[1],
        date="2026-03-01",
        campaign="春季MGM",
        converted="1",
    )
    b.add(
        "referrals",
        referrer_id=P[1],
        referee_id=P[2],
        date="2026-03-05",
        campaign="春季MGM",
        converted="0",
    )
    b.add(
        "referrals",
        referrer_id=P[1],
        referee_id=P[3],
        date="2026-03-06",
        campaign="春季MGM",
        converted="1",
    )
    b.add(
        "negative_records",
        record_id="N1",
        subject_type="person",
        subject_id=P[3],
        subject_name="赵六",
        kind="被执行人",
        date="2026-01-10",
        amount="20000",
        source="执行信息公开网",
    )
    b.add(
        "negative_records",
        record_id="N2",
        subject_type="",
        subject_id="",
        subject_name="平里建材有限公司",
        kind="行政处罚",
        date="2026-02-10",
        amount="5000",
        source="信用中国",
    )
    b.add(
        "negative_records",
        record_id="N3",
        subject_type="person",
        subject_id="",
        subject_name="不存在的人",
        kind="失信被执行人",
        date="2026-02-11",
    )
    return b


PERSONS = [id_number(i + 1, born=f"19{70 + i}0{1 + i % 9}1{i}") for i in range(8)]
COMPANIES = [uscc_code(i + 1) for i in range(3)]
