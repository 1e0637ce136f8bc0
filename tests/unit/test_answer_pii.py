"""PII masking rules, on the text a rep would read."""

from __future__ import annotations

from assistant.answer.pii import mask_pii


def test_mobile_numbers_are_masked_in_every_common_spelling() -> None:
    text = "手机 13812345678，+86 138-1234-5678，或 +86 138 1234 5678"
    masked = mask_pii(text)
    assert "12345678" not in masked and "1234-5678" not in masked and "1234 5678" not in masked
    assert masked.count("138****5678") == 3


def test_id_card_numbers_keep_only_the_ends() -> None:
    assert mask_pii("身份证 11010119900307123X") == "身份证 1101**********123X"


def test_bank_cards_are_masked_only_when_luhn_valid() -> None:
    assert mask_pii("卡号 4111 1111 1111 1111") == "卡号 ****1111"
    order_number = "订单 1234567890123456"
    assert mask_pii(order_number) == order_number


def test_email_keeps_first_letter_and_domain() -> None:
    assert mask_pii("联系 zhang.san@huitong.com 即可") == "联系 z***@huitong.com 即可"


def test_ordinary_numbers_are_untouched() -> None:
    text = "标准版每用户每年 1200 元，2026-03-01 生效，版本 3.5。"
    assert mask_pii(text) == text
