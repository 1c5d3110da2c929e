"""Vectorised identifiers for the synthetic county: 身份证, USCC, account and phone numbers."""

from __future__ import annotations

import numpy as np

RIC_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
RIC_CHECK = np.array(list("10X98765432"))
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def ric_numbers(region: np.ndarray, birth_ymd: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Return 18-character 身份证 numbers (GB 11643 check digit) as a numpy str array.

    `region` is the 6-digit area code, `birth_ymd` an int like 19800131, `seq` 0..999
    (odd for men, even for women).
    """
    base = region.astype(np.int64) * 10**11 + birth_ymd.astype(np.int64) * 1000 + seq
    total = np.zeros(len(base), dtype=np.int64)
    for k in range(17):
        total += (base // 10 ** (16 - k)) % 10 * RIC_WEIGHTS[k]
    return np.char.add(base.astype(str), RIC_CHECK[total % 11])


def ric_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of a 身份证 number."""
    total = sum(int(c) * int(w) for c, w in zip(first17, RIC_WEIGHTS, strict=True))
    return str(RIC_CHECK[total % 11])


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total) % 31]


def _org_check_char(first8: str) -> str:
    """Return the GB 11714 check character of an organisation code."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_numbers(rng: np.random.Generator, kinds: list[str], region: str) -> list[str]:
    """Return distinct valid USCCs, one per entry of `kinds` ('91' company, '93' cooperative, '92' 个体)."""
    body_alphabet = [c for c in USCC_ALPHABET if c not in "X"]
    out: list[str] = []
    seen: set[str] = set()
    for kind in kinds:
        while True:
            idx = rng.integers(0, len(body_alphabet), 7)
            org8 = "MA" + "".join(body_alphabet[i] for i in idx[:6])
            org9 = org8 + _org_check_char(org8)
            first17 = kind + region + org9
            code = first17 + uscc_check_char(first17)
            if code not in seen:
                seen.add(code)
                out.append(code)
                break
    return out


def bad_uscc(code: str) -> str:
    """Return `code` with a wrong GB 32100 check character."""
    good = code[-1]
    alt = USCC_ALPHABET[(USCC_ALPHABET.index(good) + 7) % 31]
    return code[:-1] + alt


def bad_ric(number: str) -> str:
    """Return `number` with a wrong GB 11643 check character."""
    good = number[-1]
    chars = "0123456789X"
    return number[:-1] + chars[(chars.index(good) + 3) % 11]


def account_numbers(prefix: str, start: int, count: int, width: int, salt: int) -> list[str]:
    """Return `count` distinct account numbers `prefix` + `width` digits (a scrambled sequence)."""
    mod = 10**width
    mult = 7_919_333  # coprime to 10: i → i*mult+salt mod 10^width is injective
    return [f"{prefix}{(i * mult + salt) % mod:0{width}d}" for i in range(start, start + count)]


def phone_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return `n` mainland mobile numbers (11 digits) as a numpy str array."""
    heads = np.array(["133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                      "155", "158", "159", "177", "180", "181", "182", "187", "188", "189", "199"])
    h = heads[rng.integers(0, len(heads), n)]
    tail = rng.integers(0, 10**8, n)
    return np.char.add(h, np.char.zfill(tail.astype(str), 8))
