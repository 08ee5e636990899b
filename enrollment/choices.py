"""Fixed lists a learner chooses from (DEMO-DATA.md: the 16 recognised indigenous nations,
new immigrants' countries of origin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfIdentification(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class IndigenousNation(models.TextChoices):
    AMIS = "amis", _("Amis (阿美族)")
    ATAYAL = "atayal", _("Atayal (泰雅族)")
    PAIWAN = "paiwan", _("Paiwan (排灣族)")
    BUNUN = "bunun", _("Bunun (布農族)")
    PUYUMA = "puyuma", _("Puyuma (卑南族)")
    RUKAI = "rukai", _("Rukai (魯凱族)")
    TSOU = "tsou", _("Tsou (鄒族)")
    SAISIYAT = "saisiyat", _("Saisiyat (賽夏族)")
    YAMI = "yami", _("Yami / Tao (雅美族／達悟族)")
    THAO = "thao", _("Thao (邵族)")
    KAVALAN = "kavalan", _("Kavalan (噶瑪蘭族)")
    TRUKU = "truku", _("Truku (太魯閣族)")
    SAKIZAYA = "sakizaya", _("Sakizaya (撒奇萊雅族)")
    SEEDIQ = "seediq", _("Seediq (賽德克族)")
    HLAALUA = "hlaalua", _("Hla'alua (拉阿魯哇族)")
    KANAKANAVU = "kanakanavu", _("Kanakanavu (卡那卡那富族)")
    OTHER = "other", _("Other / not listed")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class OriginCountry(models.TextChoices):
    CHINA = "cn", _("Mainland China")
    VIETNAM = "vn", _("Vietnam")
    INDONESIA = "id", _("Indonesia")
    PHILIPPINES = "ph", _("Philippines")
    THAILAND = "th", _("Thailand")
    CAMBODIA = "kh", _("Cambodia")
    MALAYSIA = "my", _("Malaysia")
    MYANMAR = "mm", _("Myanmar")
    HONG_KONG_MACAU = "hk", _("Hong Kong / Macau")
    JAPAN = "jp", _("Japan")
    SOUTH_KOREA = "kr", _("South Korea")
    OTHER = "other", _("Other")
    PREFER_NOT = "prefer_not", _("Prefer not to say")
