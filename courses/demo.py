"""Demo data that makes EZ-Learn look like New Taipei's free computer classes.

The districts are facts (loaded by a migration); the people, addresses, phone numbers and
courses below are invented. Everything is deterministic (one fixed random seed) and
idempotent: the builders look rows up by username, slug or name before creating them, so
running `manage.py seed_demo` twice creates nothing the second time.

Course dates are planned around "today" = 2026-11-22 (DEMO_TODAY): the 2026 autumn term has
past, running and upcoming courses, and the 2027 spring term's registration is open for some
courses and opens in January for the others. When the demo is seeded later, every date moves
forward by whole weeks (`demo_shift`), so weekdays stay right and the catalogue stays alive.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.dispatch import Signal
from django.utils import timezone

from wagtail.models import Revision

from .districts import NEW_TAIPEI_DISTRICTS
from .models import (
    Category,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    District,
    Language,
    Level,
    TargetGroup,
    Term,
    Venue,
)
from .roles import ADMINISTRATORS, COUNTER_STAFF, INSTRUCTORS

TAIPEI = ZoneInfo("Asia/Taipei")
SEED = 2026
DEMO_TODAY = date(2026, 11, 22)
DEFAULT_COURSE_COUNT = 120
EMAIL_DOMAIN = "ezlearn.example"

# Demo credentials, printed by the command. Demo only: never use them on a real server.
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "ezlearn-admin"  # noqa: S105
INSTRUCTOR_USERNAME = "instructor"
INSTRUCTOR_PASSWORD = "ezlearn-instructor"  # noqa: S105
COUNTER_USERNAME = "counter"
COUNTER_PASSWORD = "ezlearn-counter"  # noqa: S105

SENIORS = TargetGroup.Code.SENIORS.value
INDIGENOUS = TargetGroup.Code.INDIGENOUS.value
NEW_IMMIGRANTS = TargetGroup.Code.NEW_IMMIGRANTS.value
EVERYONE = TargetGroup.Code.EVERYONE.value


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstructorSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    categories: tuple[str, ...]
    # Districts the instructor usually teaches in; empty means anywhere in the city.
    districts: tuple[str, ...] = ()


INSTRUCTORS_DEMO: list[InstructorSpec] = [
    InstructorSpec(
        INSTRUCTOR_USERNAME,
        "林美玲",
        "",
        "meiling.lin@ezlearn.example",
        ("smartphone-basics", "line-social", "anti-fraud", "mobile-payment", "photo-video"),
        ("banqiao", "zhonghe", "yonghe", "tucheng"),
    ),
    InstructorSpec(
        "instructor2",
        "陳志明",
        "",
        "chihming.chen@ezlearn.example",
        ("e-government", "anti-fraud", "mobile-payment", "maps-transport", "smartphone-basics"),
        ("sanchong", "luzhou", "xinzhuang", "tamsui"),
    ),
    InstructorSpec(
        "instructor3",
        "Yuraw",
        "Watan",
        "yuraw.watan@ezlearn.example",
        ("smartphone-basics", "line-social", "e-government", "photo-video", "selling-online"),
        ("wulai", "xindian"),
    ),
    InstructorSpec(
        "instructor4",
        "Nguyễn Thị Lan",
        "",
        "lan.nguyen@ezlearn.example",
        (
            "smartphone-basics",
            "line-social",
            "e-government",
            "mobile-payment",
            "anti-fraud",
            "selling-online",
            "maps-transport",
        ),
    ),
    InstructorSpec(
        "instructor5",
        "張淑芬",
        "",
        "shufen.chang@ezlearn.example",
        ("office-software", "ai-tools", "e-government"),
    ),
    InstructorSpec(
        "instructor6",
        "黃建華",
        "",
        "chienhua.huang@ezlearn.example",
        ("photo-video", "selling-online", "ai-tools"),
    ),
    InstructorSpec(
        "instructor7",
        "吳佩珊",
        "",
        "peishan.wu@ezlearn.example",
        ("smartphone-basics", "line-social", "maps-transport", "anti-fraud", "e-government"),
        ("pinglin", "shiding", "shuangxi", "gongliao", "xizhi", "xindian"),
    ),
    InstructorSpec(
        "instructor8",
        "Siti Rahmawati",
        "",
        "siti.rahmawati@ezlearn.example",
        (
            "smartphone-basics",
            "line-social",
            "e-government",
            "mobile-payment",
            "anti-fraud",
            "selling-online",
            "maps-transport",
        ),
    ),
    InstructorSpec(
        "instructor9",
        "劉家豪",
        "",
        "chiahao.liu@ezlearn.example",
        ("anti-fraud", "e-government", "ai-tools", "office-software"),
        ("xizhi", "xindian", "sanxia", "banqiao", "tucheng"),
    ),
    InstructorSpec(
        "instructor10",
        "蔡秀琴",
        "",
        "hsiuchin.tsai@ezlearn.example",
        ("smartphone-basics", "line-social", "anti-fraud", "photo-video", "mobile-payment"),
    ),
    InstructorSpec(
        "instructor11",
        "徐雅婷",
        "",
        "yating.hsu@ezlearn.example",
        ("smartphone-basics", "line-social", "e-government", "mobile-payment", "anti-fraud"),
        ("sanxia", "xinzhuang"),
    ),
    InstructorSpec(
        "instructor12",
        "王俊傑",
        "",
        "chunchieh.wang@ezlearn.example",
        ("office-software", "ai-tools", "selling-online", "photo-video"),
    ),
    InstructorSpec(
        "instructor13",
        "Panay",
        "Kacaw",
        "panay.kacaw@ezlearn.example",
        ("smartphone-basics", "line-social", "anti-fraud", "e-government", "selling-online"),
        ("xizhi", "sanxia"),
    ),
    InstructorSpec(
        "instructor14",
        "Pimchanok",
        "Srisuk",
        "pimchanok.srisuk@ezlearn.example",
        ("smartphone-basics", "line-social", "mobile-payment", "anti-fraud", "maps-transport"),
    ),
    InstructorSpec(
        "instructor15",
        "鄭怡君",
        "",
        "yichun.cheng@ezlearn.example",
        ("maps-transport", "mobile-payment", "line-social", "smartphone-basics", "anti-fraud"),
        ("tamsui", "jinshan", "sanzhi", "wanli"),
    ),
]


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VenueSpec:
    key: str
    name: str
    name_en: str
    kind: str
    district: str
    address: str
    latitude: str
    longitude: str
    step_free: bool
    computers: int
    phone: str
    directions: str
    room: str


K = Venue.Kind
VENUES_DEMO: list[VenueSpec] = [
    VenueSpec(
        "library-main",
        "新北市立圖書館總館",
        "New Taipei City Library, Main Library",
        K.LIBRARY,
        "banqiao",
        "新北市板橋區民權路二段 88 號",
        "25.013820",
        "121.463310",
        True,
        40,
        "(02) 2953-1180",
        "捷運板橋站 3 號出口步行約 8 分鐘；公車「板橋國小」站下車。電腦教室在 5 樓，有電梯。",
        "5 樓 數位學習教室",
    ),
    VenueSpec(
        "library-jiangcui",
        "新北市立圖書館板橋江翠分館",
        "New Taipei City Library, Banqiao Jiangcui Branch",
        K.LIBRARY,
        "banqiao",
        "新北市板橋區文化路二段 305 號 3 樓",
        "25.027410",
        "121.474860",
        True,
        20,
        "(02) 2254-3316",
        "捷運江子翠站 5 號出口步行約 6 分鐘，位於江翠活動中心 3 樓，搭電梯上樓。",
        "3 樓 研習教室",
    ),
    VenueSpec(
        "library-zhonghe",
        "新北市立圖書館中和分館",
        "New Taipei City Library, Zhonghe Branch",
        K.LIBRARY,
        "zhonghe",
        "新北市中和區安平路 126 號",
        "24.998620",
        "121.497210",
        True,
        24,
        "(02) 2249-6052",
        "捷運景安站 2 號出口步行約 10 分鐘；公車「中和國小」站下車。",
        "4 樓 電腦教室",
    ),
    VenueSpec(
        "library-sanchong",
        "新北市立圖書館三重分館",
        "New Taipei City Library, Sanchong Branch",
        K.LIBRARY,
        "sanchong",
        "新北市三重區正義北路 210 號",
        "25.063940",
        "121.489720",
        True,
        24,
        "(02) 2982-7745",
        "捷運三重國小站 1 號出口步行約 5 分鐘。上課教室在 B1，有無障礙電梯。",
        "B1 多媒體教室",
    ),
    VenueSpec(
        "library-tamsui",
        "新北市立圖書館淡水分館",
        "New Taipei City Library, Tamsui Branch",
        K.LIBRARY,
        "tamsui",
        "新北市淡水區中山路 158 號",
        "25.170840",
        "121.442960",
        False,
        16,
        "(02) 2621-3308",
        "捷運淡水站出站後沿中正路步行約 12 分鐘；紅 26 公車「淡水國小」站下車。"
        "教室在 2 樓，需走樓梯。",
        "2 樓 電腦教室",
    ),
    VenueSpec(
        "cc-banqiao",
        "新北市板橋社區大學",
        "Banqiao Community College",
        K.COMMUNITY_COLLEGE,
        "banqiao",
        "新北市板橋區大觀路一段 52 號",
        "25.004930",
        "121.452780",
        True,
        30,
        "(02) 2272-4415",
        "公車「大觀路口」站下車步行約 3 分鐘；在高中校園內，請由側門進入，電腦教室在 1 樓。",
        "1 樓 電腦教室",
    ),
    VenueSpec(
        "cc-yonghe",
        "新北市永和社區大學",
        "Yonghe Community College",
        K.COMMUNITY_COLLEGE,
        "yonghe",
        "新北市永和區永和路一段 37 號",
        "25.011240",
        "121.516680",
        True,
        28,
        "(02) 2922-6184",
        "捷運頂溪站 1 號出口步行約 7 分鐘，教室在 3 樓，有電梯。",
        "3 樓 301 教室",
    ),
    VenueSpec(
        "cc-xinzhuang",
        "新北市新莊社區大學",
        "Xinzhuang Community College",
        K.COMMUNITY_COLLEGE,
        "xinzhuang",
        "新北市新莊區中正路 476 號",
        "25.035680",
        "121.447120",
        True,
        26,
        "(02) 2991-5267",
        "捷運新莊站 2 號出口步行約 5 分鐘；晚上請由警衛室旁的大門進入。",
        "2 樓 電腦教室",
    ),
    VenueSpec(
        "office-xindian",
        "新店區公所",
        "Xindian District Office",
        K.DISTRICT_OFFICE,
        "xindian",
        "新北市新店區北新路一段 99 號",
        "24.967560",
        "121.541790",
        True,
        18,
        "(02) 2911-2143",
        "捷運新店區公所站 2 號出口即達，教室在 7 樓，有電梯。",
        "7 樓 第二會議室",
    ),
    VenueSpec(
        "office-xizhi",
        "汐止區公所",
        "Xizhi District Office",
        K.DISTRICT_OFFICE,
        "xizhi",
        "新北市汐止區新台五路一段 120 號",
        "25.064330",
        "121.658920",
        True,
        16,
        "(02) 2641-0728",
        "台鐵汐止站步行約 8 分鐘；公車「汐止區公所」站下車即達。上課地點在 3 樓禮堂旁教室。",
        "3 樓 研習教室",
    ),
    VenueSpec(
        "office-sanxia",
        "三峽區公所",
        "Sanxia District Office",
        K.DISTRICT_OFFICE,
        "sanxia",
        "新北市三峽區中山路 21 號",
        "24.934120",
        "121.368870",
        False,
        15,
        "(02) 2671-3045",
        "公車「三峽區公所」站下車即達；教室在 2 樓，目前沒有電梯，需要協助請先來電。",
        "2 樓 會議室",
    ),
    VenueSpec(
        "senior-banqiao",
        "板橋區樂齡學習中心",
        "Banqiao Senior Learning Centre",
        K.SENIOR_CENTRE,
        "banqiao",
        "新北市板橋區府中路 63 號 2 樓",
        "25.009170",
        "121.459640",
        True,
        20,
        "(02) 2968-2231",
        "捷運府中站 1 號出口步行約 3 分鐘，位於府中活動中心 2 樓，有電梯和扶手。",
        "2 樓 樂齡教室",
    ),
    VenueSpec(
        "senior-sanchong",
        "三重區樂齡學習中心",
        "Sanchong Senior Learning Centre",
        K.SENIOR_CENTRE,
        "sanchong",
        "新北市三重區重新路三段 45 號",
        "25.061320",
        "121.486530",
        True,
        15,
        "(02) 2978-4410",
        "捷運菜寮站 3 號出口步行約 4 分鐘；一樓入口有斜坡道。",
        "1 樓 活動教室",
    ),
    VenueSpec(
        "senior-tucheng",
        "土城區樂齡學習中心",
        "Tucheng Senior Learning Centre",
        K.SENIOR_CENTRE,
        "tucheng",
        "新北市土城區金城路二段 176 號",
        "24.973080",
        "121.445310",
        True,
        0,
        "(02) 2265-8817",
        "捷運土城站 2 號出口步行約 6 分鐘，位於里民活動中心 1 樓。請帶自己的手機上課。",
        "1 樓 多功能教室",
    ),
    VenueSpec(
        "senior-luzhou",
        "蘆洲區樂齡學習中心",
        "Luzhou Senior Learning Centre",
        K.SENIOR_CENTRE,
        "luzhou",
        "新北市蘆洲區中山一路 12 號 3 樓",
        "25.085970",
        "121.472540",
        True,
        0,
        "(02) 2281-6634",
        "捷運蘆洲站 2 號出口步行約 5 分鐘，3 樓，有電梯。請帶自己的手機上課。",
        "3 樓 樂齡教室",
    ),
    VenueSpec(
        "newimmigrant-zhonghe",
        "新北市新住民學習中心（中和）",
        "New Immigrant Learning Centre (Zhonghe)",
        K.OTHER,
        "zhonghe",
        "新北市中和區興南路一段 87 號 4 樓",
        "24.993710",
        "121.511260",
        True,
        20,
        "(02) 2940-5573",
        "捷運南勢角站 4 號出口步行約 3 分鐘（華新街附近），4 樓，有電梯。週末也開放。",
        "4 樓 學習教室",
    ),
    VenueSpec(
        "doc-wulai",
        "烏來數位機會中心",
        "Wulai Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "wulai",
        "新北市烏來區烏來街 36 號",
        "24.865420",
        "121.550170",
        True,
        15,
        "(02) 2661-6372",
        "新店客運 849 路到「烏來總站」下車，往老街方向步行約 5 分鐘，在部落活動中心旁。",
        "電腦教室",
    ),
    VenueSpec(
        "doc-pinglin",
        "坪林數位機會中心",
        "Pinglin Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "pinglin",
        "新北市坪林區坪林街 104 號",
        "24.936880",
        "121.711350",
        True,
        12,
        "(02) 2665-7106",
        "搭 923 路公車到「坪林」站下車步行約 3 分鐘，茶業博物館附近。",
        "電腦教室",
    ),
    VenueSpec(
        "doc-shiding",
        "石碇數位機會中心",
        "Shiding Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "shiding",
        "新北市石碇區石碇東街 18 號",
        "24.991540",
        "121.658310",
        False,
        10,
        "(02) 2663-1290",
        "搭 666 路公車到「石碇」站下車，沿老街步行約 4 分鐘，教室在 2 樓。",
        "2 樓 電腦教室",
    ),
    VenueSpec(
        "doc-shuangxi",
        "雙溪數位機會中心",
        "Shuangxi Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "shuangxi",
        "新北市雙溪區中山路 61 號",
        "25.034120",
        "121.865270",
        True,
        12,
        "(02) 2493-1457",
        "台鐵雙溪站出站後步行約 7 分鐘，位於社區活動中心 1 樓。",
        "1 樓 電腦教室",
    ),
    VenueSpec(
        "doc-gongliao",
        "貢寮數位機會中心",
        "Gongliao Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "gongliao",
        "新北市貢寮區仁愛路 27 號",
        "25.021960",
        "121.908480",
        True,
        10,
        "(02) 2490-2318",
        "台鐵貢寮站出站步行約 5 分鐘，在區公所旁邊的活動中心內。",
        "電腦教室",
    ),
    VenueSpec(
        "doc-jinshan",
        "金山數位機會中心",
        "Jinshan Digital Opportunity Centre",
        K.DIGITAL_OPPORTUNITY_CENTRE,
        "jinshan",
        "新北市金山區民生路 72 號",
        "25.222080",
        "121.637450",
        True,
        14,
        "(02) 2498-3061",
        "搭 1717 或 862 路公車到「金山站」下車，步行約 4 分鐘，金包里老街附近。",
        "1 樓 電腦教室",
    ),
    VenueSpec(
        "bus-sanzhi",
        "行動教學巴士（三芝停靠站）",
        "Mobile Teaching Bus (Sanzhi stop)",
        K.MOBILE_BUS,
        "sanzhi",
        "新北市三芝區中正路一段 32 號前廣場",
        "25.258140",
        "121.500730",
        False,
        15,
        "(02) 2636-5820",
        "巴士停在三芝區公所前廣場；車上有 15 台平板電腦。上下車有兩階台階，工作人員會協助。",
        "巴士車廂教室",
    ),
    VenueSpec(
        "bus-wanli",
        "行動教學巴士（萬里停靠站）",
        "Mobile Teaching Bus (Wanli stop)",
        K.MOBILE_BUS,
        "wanli",
        "新北市萬里區瑪鋉路 156 號前廣場",
        "25.178910",
        "121.688240",
        False,
        15,
        "(02) 2492-6071",
        "巴士停在萬里區公所前廣場，公車「萬里」站下車即達。車上有 15 台平板電腦。",
        "巴士車廂教室",
    ),
]


# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    name_en: str
    description: str
    weight: int
    titles: tuple[str, ...]
    senior_titles: tuple[str, ...]
    # Short subtitles in the learners' language, for courses taught in it.
    foreign_subtitles: dict[str, str]
    intro: tuple[str, ...]
    topics: tuple[str, ...]
    what_to_bring: str
    faq: tuple[tuple[str, str], ...]
    levels: tuple[str, ...] = (Level.BEGINNER, Level.BASIC)
    needs_computers: bool = False


CATEGORIES_DEMO: list[CategorySpec] = [
    CategorySpec(
        "smartphone-basics",
        "手機入門",
        "Smartphone basics",
        "從開機、打字到拍照，一步一步學會用智慧型手機。",
        5,
        ("智慧型手機入門", "手機基本操作與設定", "手機入門：開機、打字到拍照"),
        ("長輩智慧型手機入門", "樂齡手機好上手", "字放大、聲音調大：長輩手機設定"),
        {"vi": "Học dùng điện thoại", "id": "Belajar Ponsel Pintar", "th": "เรียนใช้สมาร์ทโฟน"},
        (
            "從最基本的開機、滑動和打字開始，學會接打電話、存聯絡人、拍照和連上 Wi-Fi。",
            "認識智慧型手機的按鍵和畫面，學會調大字體、設定鈴聲，還有用說話的方式打字。",
        ),
        (
            "認識手機：開關機、充電與按鍵",
            "觸控手勢、調大字體與音量",
            "注音、手寫與語音輸入",
            "接打電話與通訊錄",
            "拍照、看照片與連上 Wi-Fi",
            "下載 App 與綜合練習",
        ),
        "自己的智慧型手機（請先充飽電）、充電線、老花眼鏡；如果有手機的密碼，請先記下來。",
        (
            ("我的手機很舊，可以來上課嗎？", "可以。Android 和 iPhone 都可以，老師會個別協助。"),
            ("我還沒有智慧型手機，怎麼辦？", "請先來電告訴我們，教室有少量手機可以借用。"),
        ),
        (Level.BEGINNER,),
    ),
    CategorySpec(
        "line-social",
        "LINE 與社群",
        "LINE and social media",
        "用 LINE 傳訊息、打視訊電話，和家人朋友保持聯絡。",
        5,
        (
            "LINE 進階：群組、記事本與相簿",
            "社群媒體入門：LINE、Facebook 與 Instagram",
            "LINE 視訊通話輕鬆學",
        ),
        ("LINE 視訊通話輕鬆學", "長輩學 LINE：傳訊息、貼圖和照片", "和孫子視訊：LINE 入門"),
        {"vi": "LINE và Facebook", "id": "LINE dan Media Sosial", "th": "LINE และโซเชียลมีเดีย"},
        (
            "學會用 LINE 加好友、傳文字和貼圖，也能傳照片、影片給家人。",
            "學會 LINE 視訊通話和群組聊天，和遠方的家人朋友面對面說說話。",
        ),
        (
            "加好友與傳文字、貼圖",
            "傳照片、影片與語音訊息",
            "視訊通話與群組通話",
            "群組、記事本與相簿",
            "隱私設定與封鎖陌生人",
            "Facebook 社團與分享",
        ),
        "已安裝 LINE 的手機（請先充飽電），並記得 LINE 的密碼或綁定的電話號碼。",
        (("我忘了 LINE 密碼怎麼辦？", "上課時老師會教您用電話號碼重新登入，不會弄丟聊天紀錄。"),),
    ),
    CategorySpec(
        "anti-fraud",
        "防詐騙與網路安全",
        "Online safety and anti-fraud",
        "認識常見的電話、簡訊和網路詐騙，學會查證和保護自己的帳號。",
        5,
        ("網路安全與防詐騙", "看穿網購與假投資詐騙", "密碼、雙重驗證與帳號安全"),
        (
            "防詐騙：認識假投資與假客服",
            "長輩防詐小學堂：接到可疑電話怎麼辦",
            "防詐騙：假親友、假檢警一次看懂",
        ),
        {"vi": "Phòng chống lừa đảo", "id": "Waspada Penipuan Online", "th": "รู้ทันมิจฉาชีพออนไลน์"},
        (
            "用真實案例認識假投資、假客服、假親友借錢等詐騙手法，學會先查證再行動。",
            "學會分辨可疑的簡訊和網址，設定手機和 LINE 的安全功能，不讓壞人有機可乘。",
        ),
        (
            "常見詐騙手法：假投資、假客服、假親友",
            "可疑簡訊與釣魚網址辨識",
            "撥打 165 反詐騙專線與查證方法",
            "手機安全設定與密碼",
            "LINE 與臉書帳號被盜怎麼辦",
            "情境演練與問答",
        ),
        "自己的手機；如果最近收過可疑的簡訊或電話，可以帶來讓老師幫忙看看。",
        (
            (
                "接到自稱檢察官或銀行的電話怎麼辦？",
                "先掛掉電話，再撥 165 反詐騙專線或自己查到的官方電話查證。",
            ),
        ),
    ),
    CategorySpec(
        "e-government",
        "數位政府服務",
        "E-government services",
        "在手機和電腦上辦政府的事：健保、報稅、申請補助和預約掛號。",
        4,
        (
            "自然人憑證與健保快易通",
            "數位政府服務：報稅、戶政與監理一次學",
            "TW FidO 行動身分識別與線上申辦",
        ),
        (
            "自然人憑證與健保快易通",
            "長輩學用健保快易通：看就醫紀錄、查藥品",
            "手機辦事：線上申辦與預約掛號",
        ),
        {
            "vi": "Dịch vụ chính phủ trực tuyến",
            "id": "Layanan Pemerintah Online",
            "th": "บริการภาครัฐออนไลน์",
        },
        (
            "學會用健保快易通 App 查就醫紀錄和用藥，並用自然人憑證在網路上辦事，不用再跑櫃台。",
            "一次認識常用的線上政府服務：預約掛號、查詢補助、線上申辦和手機報稅。",
        ),
        (
            "認識自然人憑證與讀卡機",
            "健保快易通：綁定與看就醫紀錄",
            "線上掛號與預約疫苗",
            "新北市政府線上申辦服務",
            "手機報稅與查詢補助",
            "常見問題與實作",
        ),
        "健保卡、身分證（新住民請帶居留證）、手機；有自然人憑證的話也請帶來。",
        (
            (
                "沒有自然人憑證也可以上課嗎？",
                "可以。課堂上會說明怎麼到戶政事務所申請，也會教不需要憑證的服務。",
            ),
        ),
    ),
    CategorySpec(
        "mobile-payment",
        "行動支付與網購",
        "Mobile payment and online shopping",
        "用手機付款、存電子發票和安全地在網路上買東西。",
        3,
        ("NewTaiPAY 行動支付入門", "行動支付與電子發票", "網路購物與比價小技巧"),
        (
            "NewTaiPAY 行動支付入門",
            "長輩學行動支付：掃碼付款不求人",
            "手機網購入門：安全下單與取貨",
        ),
        {"vi": "Thanh toán di động", "id": "Pembayaran Digital", "th": "การชำระเงินผ่านมือถือ"},
        (
            "認識新北市的 NewTaiPAY 和常見的行動支付，學會掃碼付款和把發票存在手機裡。",
            "學會在網路上安全地買東西：比價、下單、超商取貨，也知道怎麼避開假賣場。",
        ),
        (
            "認識行動支付與 NewTaiPAY",
            "綁定與掃碼付款",
            "電子發票與手機條碼載具",
            "網路購物：下單、付款與取貨",
            "退貨與辨識假賣場",
            "實際操作與問答",
        ),
        "自己的手機、身分證；想綁定付款的話請帶金融卡（課堂上不會要求您輸入任何密碼）。",
        (
            (
                "一定要綁定信用卡嗎？",
                "不用。老師會示範，您可以回家想清楚再決定，課堂上不會收集任何卡號。",
            ),
        ),
    ),
    CategorySpec(
        "office-software",
        "文書軟體",
        "Office software",
        "用電腦打字、做表格和存檔：Word、Excel 與雲端文件。",
        3,
        (
            "Excel 基礎",
            "Word 文書處理入門",
            "Google 文件與雲端硬碟",
            "電腦入門：滑鼠、鍵盤與檔案",
            "Excel 進階：函數與圖表",
        ),
        ("樂齡電腦入門：滑鼠、鍵盤與上網", "長輩學 Word：寫一封信、做一張邀請卡"),
        {"vi": "Word và Excel", "id": "Word dan Excel", "th": "Word และ Excel"},
        (
            "在教室的電腦上實際操作，學會輸入文字、做表格、存檔和列印。",
            "從工作和生活用得到的例子出發：做家庭收支表、寫履歷、把文件轉成 PDF 傳給別人。",
        ),
        (
            "認識介面、開新檔案與存檔",
            "輸入與編修文字、資料",
            "表格與格式設定",
            "公式、函數與插入圖片",
            "列印與轉存 PDF",
            "綜合練習",
        ),
        "教室有電腦可以使用；想把作品帶回家的話，請帶一支隨身碟。",
        (("家裡沒有電腦可以練習嗎？", "可以到新北市立圖書館各分館借用電腦練習，憑借閱證即可。"),),
        (Level.BEGINNER, Level.BASIC, Level.INTERMEDIATE),
        True,
    ),
    CategorySpec(
        "ai-tools",
        "AI 工具",
        "AI tools",
        "認識生成式 AI，讓它幫忙寫信、翻譯、整理資料和做圖片。",
        3,
        ("生成式 AI 小幫手", "ChatGPT 與 AI 工具入門", "AI 幫你寫信、做簡報", "用 AI 做海報與圖片"),
        ("長輩也會用 AI：問問題、查資料", "生成式 AI 小幫手（樂齡班）"),
        {"vi": "Làm quen với AI", "id": "Kenalan dengan AI", "th": "เรียนรู้ AI"},
        (
            "認識 ChatGPT 等生成式 AI 工具，學會好好問問題，讓 AI 幫您寫信、翻譯和整理重點。",
            "動手用 AI 做一份簡報和一張活動海報，也學會判斷 AI 的答案對不對、哪些資料不該給它。",
        ),
        (
            "什麼是生成式 AI",
            "好好問問題：提示詞入門",
            "AI 翻譯與摘要",
            "用 AI 寫信與做簡報",
            "AI 生成圖片",
            "AI 的錯誤、隱私與查證",
        ),
        "自己的手機或筆電；沒有的話可以使用教室電腦。請先準備一個可以收信的 Email 帳號。",
        (
            (
                "使用 AI 工具要付費嗎？",
                "課堂上只使用免費版本；付費功能老師會說明差別，您可以自己決定。",
            ),
        ),
        (Level.BASIC, Level.INTERMEDIATE),
    ),
    CategorySpec(
        "photo-video",
        "攝影與影音",
        "Photo and video",
        "用手機拍出好照片，剪一段有字幕和音樂的影片。",
        3,
        ("手機拍照與影片剪輯", "短影音製作入門", "Canva 設計入門"),
        ("手機拍照與影片剪輯", "長輩手機攝影：拍出好看的全家福", "手機做相簿與回憶影片"),
        {
            "vi": "Chụp ảnh và dựng video",
            "id": "Foto dan Video dengan Ponsel",
            "th": "ถ่ายภาพและตัดต่อวิดีโอ",
        },
        (
            "學會手機相機的設定和構圖，拍出清楚好看的人像和風景，再修出喜歡的顏色。",
            "把手機裡的照片和影片剪成一段有字幕、有音樂的小影片，分享給家人朋友。",
        ),
        (
            "手機相機設定與構圖",
            "人像與風景拍攝",
            "修圖與濾鏡",
            "影片拍攝與剪輯 App",
            "加字幕與配樂",
            "分享作品與雲端備份",
        ),
        "自己的手機（請先清出一些儲存空間）、充電線；有自拍棒或手機腳架也可以帶來。",
        (("需要買相機嗎？", "不用，整門課都用手機拍攝和剪輯。"),),
    ),
    CategorySpec(
        "maps-transport",
        "地圖與交通 App",
        "Maps and transport apps",
        "用手機查路線、等公車和叫車，出門不迷路。",
        2,
        ("手機地圖與搭車 App", "Google 地圖與大眾運輸", "新北交通 App 一次學會"),
        (
            "手機地圖與搭車 App",
            "長輩出門不迷路：Google 地圖入門",
            "查公車、叫計程車：交通 App 輕鬆學",
        ),
        {"vi": "Bản đồ và xe buýt", "id": "Peta dan Transportasi", "th": "แผนที่และการเดินทาง"},
        (
            "學會用 Google 地圖找地點和導航，查公車什麼時候到站，出門更安心。",
            "一次學會查公車、訂火車票、租 YouBike 和叫車的 App，還能把位置分享給家人。",
        ),
        (
            "Google 地圖：搜尋地點與導航",
            "查公車到站時間",
            "捷運、台鐵與高鐵訂票",
            "叫車 App 與 YouBike",
            "分享位置給家人",
            "實際出門練習",
        ),
        "自己的手機（請先充飽電並開啟定位）、悠遊卡或敬老卡。",
        (("最後一堂課要走路嗎？", "會在附近走一小段路練習，行動不便的學員可以留在教室操作。"),),
    ),
    CategorySpec(
        "selling-online",
        "網路開店與行銷",
        "Selling online",
        "小店家和農友的網路開店、社群行銷、直播與 Podcast。",
        2,
        ("網路開店入門", "小店家直播與社群行銷", "Podcast 與直播入門", "在地好物網路行銷"),
        (),
        {"vi": "Bán hàng online", "id": "Jualan Online", "th": "ขายของออนไลน์"},
        (
            "從拍商品照、寫文案到開一個網路賣場，一步一步把您的好產品賣到網路上。",
            "學會用社群、LINE 官方帳號和直播經營客人，也了解金流、物流和發票的基本規定。",
        ),
        (
            "網路開店平台比較",
            "商品拍照與文案",
            "社群行銷與 LINE 官方帳號",
            "直播賣貨入門",
            "金流、物流與發票",
            "經營分析與問答",
        ),
        "自己的手機或筆電，以及一兩樣想賣的商品（或商品照片）。",
        (("我還沒有營業登記，可以上課嗎？", "可以。課程會說明什麼情況需要登記，以及怎麼申請。"),),
        (Level.BASIC, Level.INTERMEDIATE),
    ),
]


# --------------------------------------------------------------------------------------------
# Audiences: who a course is for decides its language, times, places and teachers
# --------------------------------------------------------------------------------------------

# Weekdays are 0 = Monday .. 6 = Sunday. Each slot offers (start time, length in minutes).
SLOTS: dict[str, tuple[tuple[int, ...], tuple[tuple[time, int], ...]]] = {
    "weekday_morning": (
        (0, 1, 2, 3, 4),
        ((time(9, 30), 120), (time(9, 0), 180), (time(10, 0), 120)),
    ),
    "weekday_afternoon": (
        (0, 1, 2, 3, 4),
        ((time(14, 0), 120), (time(14, 0), 180), (time(13, 30), 150)),
    ),
    "weekday_evening": ((0, 1, 2, 3, 4), ((time(19, 0), 120), (time(18, 30), 150))),
    "weekend_morning": ((5, 6), ((time(9, 30), 150), (time(9, 0), 180))),
    "weekend_afternoon": ((5, 6), ((time(14, 0), 180), (time(13, 30), 150))),
}

FREE_FAQ = ("上課要付錢嗎？", "不用，新北市民免費參加。請先報名，名額有限。")
MISSED_FAQ = (
    "有一堂課不能來怎麼辦？",
    "沒關係，下次上課前可以請老師幫您補上重點，講義也可以再拿。",
)
FAMILY_FAQ = ("可以請家人陪我來嗎？", "可以，陪同的家人請坐在旁邊，座位不夠時請讓學員優先。")
IMMIGRANT_FAQS = {
    "vi": (
        (
            "Khóa học có mất phí không?",
            "Hoàn toàn miễn phí. Bạn chỉ cần mang theo điện thoại và thẻ cư trú (居留證).",
        ),
        (
            "Tôi chưa giỏi tiếng Trung, có học được không?",
            "Được. Cô giáo giảng bằng tiếng Việt, tài liệu có cả tiếng Trung và tiếng Việt.",
        ),
    ),
    "id": (
        ("Apakah kursus ini gratis?", "Ya, gratis. Bawa ponsel dan kartu ARC (居留證) Anda."),
        (
            "Saya belum lancar bahasa Mandarin, bisa ikut?",
            "Bisa. Guru mengajar dalam bahasa Indonesia dan materi tersedia dalam dua bahasa.",
        ),
    ),
    "th": (("คอร์สนี้เสียค่าใช้จ่ายไหม", "ไม่เสียค่าใช้จ่าย เรียนฟรี กรุณาลงทะเบียนล่วงหน้า"),),
}


@dataclass(frozen=True)
class Audience:
    key: str
    weight: int
    target_codes: tuple[str, ...]
    language: str
    language_note: str
    title_prefix: str  # e.g. "台語教學", put before the title
    venues: tuple[str, ...]
    categories: tuple[str, ...]
    slots: tuple[str, ...]
    instructors: tuple[str, ...]
    sentence: str
    senior_titles: bool = False
    subtitle: str = ""  # key into CategorySpec.foreign_subtitles and IMMIGRANT_FAQS
    faq: tuple[tuple[str, str], ...] = ()


CITY_SENIOR_VENUES = (
    "senior-banqiao",
    "senior-sanchong",
    "senior-tucheng",
    "senior-luzhou",
    "library-main",
    "library-jiangcui",
    "library-zhonghe",
    "library-sanchong",
    "library-tamsui",
    "office-xindian",
    "office-xizhi",
)
REMOTE_VENUES = (
    "doc-pinglin",
    "doc-shiding",
    "doc-shuangxi",
    "doc-gongliao",
    "doc-jinshan",
    "bus-sanzhi",
    "bus-wanli",
)
IMMIGRANT_VENUES = (
    "newimmigrant-zhonghe",
    "library-zhonghe",
    "library-sanchong",
    "library-main",
    "cc-xinzhuang",
    "cc-yonghe",
    "office-xindian",
)
EVERYDAY_CATEGORIES = (
    "smartphone-basics",
    "line-social",
    "anti-fraud",
    "e-government",
    "mobile-payment",
    "maps-transport",
)
ALL_CATEGORIES = tuple(spec.slug for spec in CATEGORIES_DEMO)
ALL_INSTRUCTORS_MANDARIN = (
    INSTRUCTOR_USERNAME,
    "instructor2",
    "instructor5",
    "instructor6",
    "instructor7",
    "instructor9",
    "instructor10",
    "instructor12",
    "instructor15",
)

AUDIENCES: list[Audience] = [
    Audience(
        "seniors",
        26,
        (SENIORS,),
        Language.MANDARIN,
        "",
        "",
        CITY_SENIOR_VENUES,
        (*EVERYDAY_CATEGORIES, "photo-video", "ai-tools", "office-software"),
        ("weekday_morning", "weekday_morning", "weekday_afternoon"),
        ALL_INSTRUCTORS_MANDARIN,
        "老師會放慢速度、一個步驟一個步驟帶著做，還有助教在旁協助，不怕跟不上。",
        senior_titles=True,
        faq=(FAMILY_FAQ,),
    ),
    Audience(
        "seniors-remote",
        10,
        (SENIORS, EVERYONE),
        Language.MANDARIN,
        "",
        "",
        REMOTE_VENUES,
        (*EVERYDAY_CATEGORIES, "photo-video", "selling-online"),
        ("weekday_morning", "weekday_afternoon"),
        ("instructor7", "instructor15", "instructor2", "instructor10"),
        "數位機會中心和行動教學巴士把課程帶到家附近，長輩和在地的朋友都歡迎一起來學。",
        senior_titles=True,
        faq=(FAMILY_FAQ,),
    ),
    Audience(
        "seniors-hokkien",
        7,
        (SENIORS,),
        Language.HOKKIEN,
        "臺灣台語授課",
        "台語教學",
        (*CITY_SENIOR_VENUES, "bus-sanzhi", "doc-shuangxi"),
        (*EVERYDAY_CATEGORIES, "photo-video"),
        ("weekday_morning", "weekday_afternoon"),
        ("instructor10", INSTRUCTOR_USERNAME, "instructor2"),
        "全程用台語上課，老師講得慢、講得清楚，聽無就閣問，免歹勢。",
        senior_titles=True,
        faq=(FAMILY_FAQ,),
    ),
    Audience(
        "hakka",
        3,
        (SENIORS, EVERYONE),
        Language.HAKKA,
        "客語（四縣腔）授課",
        "客語教學",
        ("office-sanxia", "cc-xinzhuang"),
        EVERYDAY_CATEGORIES,
        ("weekday_morning", "weekday_afternoon", "weekend_morning"),
        ("instructor11",),
        "用客語上課，講義中文對照，歡迎鄉親長輩和家人一起來。",
        senior_titles=True,
    ),
    Audience(
        "vietnamese",
        9,
        (NEW_IMMIGRANTS,),
        Language.VIETNAMESE,
        "越南語授課，講義中越對照",
        "越南語授課",
        IMMIGRANT_VENUES,
        (*EVERYDAY_CATEGORIES, "selling-online", "photo-video"),
        ("weekday_evening", "weekend_morning", "weekend_afternoon"),
        ("instructor4",),
        "用越南語上課，講義中越對照；安排在晚上和週末，下班以後也能來。",
        subtitle="vi",
    ),
    Audience(
        "indonesian",
        6,
        (NEW_IMMIGRANTS,),
        Language.INDONESIAN,
        "印尼語授課 Bahasa Indonesia",
        "印尼語授課",
        IMMIGRANT_VENUES,
        (*EVERYDAY_CATEGORIES, "selling-online"),
        ("weekday_evening", "weekend_morning", "weekend_afternoon"),
        ("instructor8",),
        "用印尼語上課，講義中印對照；安排在週末和晚上，照顧家人和工作之餘也能來學。",
        subtitle="id",
    ),
    Audience(
        "thai",
        2,
        (NEW_IMMIGRANTS,),
        Language.THAI,
        "泰語授課",
        "泰語授課",
        ("newimmigrant-zhonghe", "library-sanchong", "cc-xinzhuang"),
        EVERYDAY_CATEGORIES,
        ("weekend_morning", "weekend_afternoon"),
        ("instructor14",),
        "用泰語上課，週末上午或下午開課，歡迎帶朋友一起來。",
        subtitle="th",
    ),
    Audience(
        "immigrants-interpreted",
        4,
        (NEW_IMMIGRANTS, EVERYONE),
        Language.MANDARIN,
        "華語授課，現場有越南語、印尼語通譯",
        "",
        IMMIGRANT_VENUES,
        (*EVERYDAY_CATEGORIES, "office-software", "ai-tools"),
        ("weekday_evening", "weekend_morning", "weekend_afternoon"),
        ("instructor2", "instructor5", "instructor9", "instructor12", INSTRUCTOR_USERNAME),
        "華語授課，現場有越南語和印尼語通譯協助，聽不懂可以隨時用母語發問。",
    ),
    Audience(
        "atayal",
        6,
        (INDIGENOUS, SENIORS),
        Language.INDIGENOUS,
        "泰雅語 Atayal",
        "泰雅語授課",
        ("doc-wulai",),
        (*EVERYDAY_CATEGORIES, "photo-video", "selling-online"),
        ("weekday_afternoon", "weekend_morning"),
        ("instructor3",),
        "用泰雅語和華語雙語上課，就在部落旁的數位機會中心，族人長輩和家人都歡迎一起來。",
        senior_titles=True,
    ),
    Audience(
        "amis",
        2,
        (INDIGENOUS,),
        Language.INDIGENOUS,
        "阿美語 Amis",
        "阿美語授課",
        ("office-xizhi", "office-sanxia"),
        (*EVERYDAY_CATEGORIES, "selling-online"),
        ("weekday_evening", "weekend_afternoon"),
        ("instructor13",),
        "用阿美語和華語雙語上課，為都市裡的族人朋友安排在晚上和週末。",
    ),
    Audience(
        "everyone",
        30,
        (EVERYONE,),
        Language.MANDARIN,
        "",
        "",
        (
            "library-main",
            "library-jiangcui",
            "library-zhonghe",
            "library-sanchong",
            "library-tamsui",
            "cc-banqiao",
            "cc-yonghe",
            "cc-xinzhuang",
            "office-xindian",
            "office-xizhi",
        ),
        ALL_CATEGORIES,
        ("weekday_evening", "weekend_morning", "weekend_afternoon", "weekday_afternoon"),
        ALL_INSTRUCTORS_MANDARIN,
        "適合每一位想讓生活更方便的市民，從零開始也沒關係。",
    ),
    Audience(
        "english",
        1,
        (NEW_IMMIGRANTS, EVERYONE),
        Language.ENGLISH,
        "English-taught, with Chinese handouts",
        "英語授課",
        ("library-main", "cc-yonghe"),
        ("e-government", "mobile-payment", "maps-transport", "ai-tools"),
        ("weekday_evening", "weekend_afternoon"),
        ("instructor12",),
        "Taught in English for newcomers to New Taipei; handouts are bilingual.",
    ),
]
AUDIENCE_BY_KEY = {audience.key: audience for audience in AUDIENCES}

# Public holidays in the two terms (observed days included): no classes on these days.
HOLIDAYS: frozenset[date] = frozenset(
    [
        date(2026, 9, 25),  # Mid-Autumn Festival
        date(2026, 9, 28),  # Teachers' Day
        date(2026, 10, 9),  # National Day, observed
        date(2026, 10, 10),  # National Day
        date(2026, 10, 26),  # Retrocession Day, observed
        date(2026, 12, 25),  # Constitution Day
        date(2027, 1, 1),
        date(2027, 3, 1),  # Peace Memorial Day, observed
        date(2027, 4, 5),  # Tomb-Sweeping Day
        date(2027, 4, 6),  # Children's Day, observed
        date(2027, 5, 1),  # Labour Day
        date(2027, 6, 9),  # Dragon Boat Festival
    ]
)


# Spring registration: some courses opened early (already open on 2026-11-22), the rest open
# on a Monday in January 2027.
SPRING_EARLY_REGISTRATION = datetime(2026, 11, 16, 9, 0, tzinfo=TAIPEI)


@dataclass(frozen=True)
class TermSpec:
    key: str
    name: str
    name_en: str
    starts_on: date
    ends_on: date
    share: int  # weight of the term among the generated courses
    # Months in which courses may start: (year, month, weight).
    start_months: tuple[tuple[int, int, int], ...]
    # Registration opens at one of these moments (weighted); if empty, 3 to 5 weeks before
    # the first class.
    registration_openings: tuple[tuple[datetime, int], ...] = ()


TERMS_DEMO: list[TermSpec] = [
    TermSpec(
        "autumn-2026",
        "2026 秋季班",
        "Autumn 2026",
        date(2026, 9, 1),
        date(2026, 12, 31),
        60,
        ((2026, 9, 2), (2026, 10, 3), (2026, 11, 3), (2026, 12, 3)),
    ),
    TermSpec(
        "spring-2027",
        "2027 春季班",
        "Spring 2027",
        date(2027, 2, 15),
        date(2027, 6, 30),
        40,
        ((2027, 2, 2), (2027, 3, 3), (2027, 4, 3), (2027, 5, 2), (2027, 6, 1)),
        (
            (SPRING_EARLY_REGISTRATION, 4),
            (datetime(2027, 1, 4, 9, 0, tzinfo=TAIPEI), 2),
            (datetime(2027, 1, 11, 9, 0, tzinfo=TAIPEI), 2),
            (datetime(2027, 1, 18, 9, 0, tzinfo=TAIPEI), 2),
        ),
    ),
]
TERM_BY_KEY = {term.key: term for term in TERMS_DEMO}


# --------------------------------------------------------------------------------------------
# Course plan: pure data, computed without the database
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSpec:
    start: datetime
    end: datetime
    topic: str
    room: str


@dataclass
class CourseSpec:
    slug: str
    title: str
    summary: str
    body: list[dict]
    term: str
    category: str
    level: str
    target_codes: tuple[str, ...]
    language: str
    language_note: str
    venue: str
    instructor: str
    capacity: int
    registration_opens_at: datetime
    registration_closes_at: datetime
    what_to_bring: str
    sessions: list[SessionSpec] = field(default_factory=list)


@dataclass(frozen=True)
class Showcase:
    """A hand-picked course, so the demo always has the examples people look for first."""

    audience: str
    category: str
    venue: str
    title: str
    term: str
    first_day: date
    weekdays: tuple[int, ...]
    start: time
    minutes: int
    count: int
    opens: datetime
    closes: datetime
    instructor: str
    capacity: int = 20
    level: str = Level.BEGINNER


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TAIPEI)


SHOWCASES: list[Showcase] = [
    # The "done means" course: seniors, smartphone basics, Banqiao, weekday mornings,
    # registration open on 2026-11-22 and the first class still ahead.
    Showcase(
        "seniors",
        "smartphone-basics",
        "senior-banqiao",
        "長輩智慧型手機入門（板橋）",
        "autumn-2026",
        date(2026, 12, 1),
        (1, 3),
        time(9, 30),
        120,
        4,
        _at(date(2026, 11, 2), 9),
        _at(date(2026, 11, 29), 17),
        INSTRUCTOR_USERNAME,
    ),
    Showcase(
        "seniors-hokkien",
        "line-social",
        "library-main",
        "台語教學：LINE 視訊通話輕鬆學",
        "autumn-2026",
        date(2026, 11, 9),
        (0,),
        time(14, 0),
        120,
        4,
        _at(date(2026, 10, 12), 9),
        _at(date(2026, 11, 6), 17),
        INSTRUCTOR_USERNAME,
    ),
    Showcase(
        "seniors",
        "anti-fraud",
        "library-jiangcui",
        "防詐騙：認識假投資與假客服",
        "autumn-2026",
        date(2026, 10, 13),
        (1,),
        time(9, 30),
        120,
        3,
        _at(date(2026, 9, 14), 9),
        _at(date(2026, 10, 11), 17),
        INSTRUCTOR_USERNAME,
        capacity=25,
    ),
    Showcase(
        "vietnamese",
        "smartphone-basics",
        "newimmigrant-zhonghe",
        "越南語授課：手機與 LINE 入門 Học dùng điện thoại",
        "autumn-2026",
        date(2026, 12, 6),
        (6,),
        time(14, 0),
        180,
        3,
        _at(date(2026, 11, 9), 9),
        _at(date(2026, 12, 4), 17),
        "instructor4",
    ),
    Showcase(
        "atayal",
        "smartphone-basics",
        "doc-wulai",
        "泰雅語授課：長輩手機入門（烏來）",
        "autumn-2026",
        date(2026, 11, 18),
        (2,),
        time(14, 0),
        150,
        4,
        _at(date(2026, 10, 19), 9),
        _at(date(2026, 11, 16), 17),
        "instructor3",
        capacity=15,
    ),
    Showcase(
        "seniors",
        "e-government",
        "senior-sanchong",
        "自然人憑證與健保快易通",
        "autumn-2026",
        date(2026, 12, 4),
        (4,),
        time(9, 30),
        150,
        3,
        _at(date(2026, 11, 9), 9),
        _at(date(2026, 12, 2), 17),
        "instructor2",
        capacity=15,
    ),
    Showcase(
        "everyone",
        "ai-tools",
        "cc-yonghe",
        "生成式 AI 小幫手",
        "autumn-2026",
        date(2026, 12, 5),
        (5,),
        time(14, 0),
        180,
        3,
        _at(date(2026, 11, 9), 9),
        _at(date(2026, 12, 3), 23, 59),
        "instructor12",
        capacity=28,
        level=Level.BASIC,
    ),
    Showcase(
        "everyone",
        "mobile-payment",
        "senior-tucheng",
        "NewTaiPAY 行動支付入門",
        "spring-2027",
        date(2027, 2, 20),
        (5,),
        time(9, 30),
        150,
        2,
        SPRING_EARLY_REGISTRATION,
        _at(date(2027, 2, 17), 17),
        INSTRUCTOR_USERNAME,
        capacity=30,
    ),
    Showcase(
        "seniors",
        "smartphone-basics",
        "library-main",
        "樂齡手機好上手（板橋）",
        "spring-2027",
        date(2027, 2, 22),
        (0, 2),
        time(9, 30),
        120,
        6,
        SPRING_EARLY_REGISTRATION,
        _at(date(2027, 2, 18), 17),
        INSTRUCTOR_USERNAME,
        capacity=24,
    ),
    Showcase(
        "everyone",
        "office-software",
        "library-main",
        "Excel 基礎",
        "spring-2027",
        date(2027, 3, 2),
        (1, 3),
        time(19, 0),
        120,
        4,
        _at(date(2027, 1, 11), 9),
        _at(date(2027, 2, 26), 17),
        "instructor5",
        capacity=30,
        level=Level.BASIC,
    ),
    Showcase(
        "seniors",
        "photo-video",
        "library-tamsui",
        "手機拍照與影片剪輯",
        "spring-2027",
        date(2027, 3, 4),
        (3,),
        time(9, 30),
        150,
        5,
        _at(date(2027, 1, 18), 9),
        _at(date(2027, 3, 1), 17),
        "instructor15",
        capacity=16,
    ),
    Showcase(
        "indonesian",
        "line-social",
        "library-sanchong",
        "印尼語授課：LINE 與視訊通話 LINE dan Video Call",
        "autumn-2026",
        date(2026, 11, 29),
        (6,),
        time(9, 30),
        150,
        3,
        _at(date(2026, 11, 2), 9),
        _at(date(2026, 11, 27), 17),
        "instructor8",
    ),
    Showcase(
        "hakka",
        "line-social",
        "office-sanxia",
        "客語教學：長輩學 LINE（三峽）",
        "spring-2027",
        date(2027, 3, 3),
        (2,),
        time(9, 30),
        120,
        4,
        SPRING_EARLY_REGISTRATION,
        _at(date(2027, 2, 26), 17),
        "instructor11",
        capacity=15,
    ),
]


class CoursePlanner:
    """Turns the tables above into a deterministic list of course specs."""

    def __init__(self, seed: int = SEED) -> None:
        # Deterministic demo data, not security: a seeded generator is what we want.
        self.rng = random.Random(seed)
        self.venues = {spec.key: spec for spec in VENUES_DEMO}
        self.categories = {spec.slug: spec for spec in CATEGORIES_DEMO}
        self.instructors = {spec.username: spec for spec in INSTRUCTORS_DEMO}
        self.slug_counts: Counter[str] = Counter()
        self.titles: Counter[str] = Counter()
        self.load: Counter[str] = Counter()  # courses per instructor
        self.credit: dict[str, list[int]] = {}  # for _in_turn
        self.id_rng = random.Random(seed + 1)

    def plan(self, count: int) -> list[CourseSpec]:
        specs = [self._from_showcase(showcase) for showcase in SHOWCASES[:count]]
        while len(specs) < count:
            specs.append(self._generated())
        return specs

    # -- choices ---------------------------------------------------------------------------

    def _weighted[T](self, items: Sequence[T], weights: Sequence[int]) -> T:
        return self.rng.choices(items, weights=weights, k=1)[0]

    def _in_turn[T](self, name: str, items: Sequence[T], weights: Sequence[int]) -> T:
        """Smooth weighted round robin: every share of the plan, however long, has each item
        in proportion to its weight (random picks would leave small audiences out)."""
        credit = self.credit.setdefault(name, [0] * len(items))
        for i, weight in enumerate(weights):
            credit[i] += weight
        best = max(range(len(items)), key=lambda i: credit[i])
        credit[best] -= sum(weights)
        return items[best]

    def _instructor_for(self, audience: Audience, category: str, district: str) -> str:
        """A teacher of the audience who teaches the topic, preferring those who work in the
        district (or anywhere); among those, whoever has the fewest courses so far."""
        candidates = [
            username
            for username in audience.instructors
            if category in self.instructors[username].categories
        ] or list(audience.instructors)
        nearby = [
            username
            for username in candidates
            if district in self.instructors[username].districts
            or not self.instructors[username].districts
        ] or candidates
        fewest = min(self.load[username] for username in nearby)
        username = self.rng.choice([u for u in nearby if self.load[u] == fewest])
        return username

    def _id(self) -> str:
        return str(uuid.UUID(int=self.id_rng.getrandbits(128), version=4))

    def _slug(self, category: str, district: str) -> str:
        key = f"{category}-{district}"
        self.slug_counts[key] += 1
        return f"{key}-{self.slug_counts[key]}"

    def _title(self, audience: Audience, category: CategorySpec, district: str) -> str:
        """A title not used yet if possible: try the topic's titles, with or without the
        district; a repeat becomes the next intake ("第2期")."""
        senior = audience.senior_titles and category.senior_titles and self.rng.random() < 0.7
        bases = list(category.senior_titles if senior else category.titles)
        self.rng.shuffle(bases)
        place = f"（{_DISTRICT_SHORT[district]}）"
        with_place = self.rng.random() < 0.5
        candidates = []
        for base in bases:
            title = base
            if audience.title_prefix:
                # "越南語授課：手機入門", but "【越南語授課】數位政府服務：報稅…" (one colon only)
                prefix = audience.title_prefix
                title = f"【{prefix}】{base}" if "：" in base else f"{prefix}：{base}"
            if audience.subtitle:
                title = f"{title} {category.foreign_subtitles[audience.subtitle]}"
            candidates += [title + place, title] if with_place else [title, title + place]
        title = next((t for t in candidates if not self.titles[t]), candidates[0])
        self.titles[title] += 1
        if self.titles[title] > 1:
            title = f"{title} 第{self.titles[title]}期"
        return title

    # -- dates -----------------------------------------------------------------------------

    @staticmethod
    def _class_days(first: date, weekdays: tuple[int, ...], count: int) -> list[date]:
        days: list[date] = []
        day = first
        while len(days) < count:
            if day.weekday() in weekdays and day not in HOLIDAYS:
                days.append(day)
            day += timedelta(days=1)
        return days

    def _generated_days(self, term: TermSpec, weekdays: tuple[int, ...], count: int) -> list[date]:
        year, month, _weight = self._weighted(
            list(term.start_months), [weight for _y, _m, weight in term.start_months]
        )
        first = date(year, month, self.rng.randint(1, 28))
        first = max(first, term.starts_on + timedelta(days=6))
        days = self._class_days(first, weekdays, count)
        while days[-1] > term.ends_on:
            first -= timedelta(days=14)
            days = self._class_days(first, weekdays, count)
        return days

    def _registration(self, term: TermSpec, first: date) -> tuple[datetime, datetime]:
        closes = _at(first - timedelta(days=self.rng.choice([2, 3, 4])), 17)
        if term.registration_openings:
            opens = self._weighted(
                [moment for moment, _weight in term.registration_openings],
                [weight for _moment, weight in term.registration_openings],
            )
        else:
            opens = _at(first - timedelta(days=self.rng.choice([21, 28, 35])), 9)
            # Not before the term's courses are announced, two weeks before the term.
            opens = max(opens, _at(term.starts_on - timedelta(days=15), 9))
        return opens, closes

    # -- specs -----------------------------------------------------------------------------

    def _generated(self) -> CourseSpec:
        rng = self.rng
        audience = self._in_turn("audience", AUDIENCES, [a.weight for a in AUDIENCES])
        categories = [self.categories[slug] for slug in audience.categories]
        category = self._weighted(categories, [c.weight for c in categories])
        venues = [
            self.venues[key]
            for key in audience.venues
            if not category.needs_computers or self.venues[key].computers >= 15
        ] or [self.venues[key] for key in audience.venues]
        venue = rng.choice(venues)
        term = self._in_turn("term", TERMS_DEMO, [t.share for t in TERMS_DEMO])

        slot_name = rng.choice(audience.slots)
        slot_weekdays, slot_times = SLOTS[slot_name]
        start, minutes = rng.choice(slot_times)
        if slot_name.startswith("weekday") and rng.random() < 0.3:
            weekdays = rng.choice([(0, 2), (1, 3), (2, 4)])
        else:
            weekdays = (rng.choice(slot_weekdays),)
        count = rng.choice([2, 3, 3, 4, 4, 4, 5, 6])
        days = self._generated_days(term, weekdays, count)
        opens, closes = self._registration(term, days[0])

        capacity = rng.randint(15, 30)
        if venue.computers >= 15 and category.needs_computers:
            capacity = min(capacity, venue.computers)
        if venue.kind == Venue.Kind.MOBILE_BUS:
            capacity = 15
        elif venue.kind == Venue.Kind.DIGITAL_OPPORTUNITY_CENTRE:
            capacity = min(capacity, 20)  # small rooms
        level = rng.choice(category.levels)
        if SENIORS in audience.target_codes and level == Level.INTERMEDIATE:
            level = Level.BASIC

        return self._spec(
            audience=audience,
            category=category,
            venue=venue,
            title=self._title(audience, category, venue.district),
            term=term,
            days=days,
            start=start,
            minutes=minutes,
            opens=opens,
            closes=closes,
            instructor=self._instructor_for(audience, category.slug, venue.district),
            capacity=capacity,
            level=level,
        )

    def _from_showcase(self, showcase: Showcase) -> CourseSpec:
        venue = self.venues[showcase.venue]
        self.titles[showcase.title] += 1
        return self._spec(
            audience=AUDIENCE_BY_KEY[showcase.audience],
            category=self.categories[showcase.category],
            venue=venue,
            title=showcase.title,
            term=TERM_BY_KEY[showcase.term],
            days=self._class_days(showcase.first_day, showcase.weekdays, showcase.count),
            start=showcase.start,
            minutes=showcase.minutes,
            opens=showcase.opens,
            closes=showcase.closes,
            instructor=showcase.instructor,
            capacity=showcase.capacity,
            level=showcase.level,
        )

    def _spec(
        self,
        *,
        audience: Audience,
        category: CategorySpec,
        venue: VenueSpec,
        title: str,
        term: TermSpec,
        days: list[date],
        start: time,
        minutes: int,
        opens: datetime,
        closes: datetime,
        instructor: str,
        capacity: int,
        level: str,
    ) -> CourseSpec:
        rng = self.rng
        self.load[instructor] += 1
        topics = _session_topics(category.topics, len(days))
        sessions = []
        for day, topic in zip(days, topics, strict=True):
            begins = datetime.combine(day, start, tzinfo=TAIPEI)
            sessions.append(
                SessionSpec(begins, begins + timedelta(minutes=minutes), topic, venue.room)
            )
        intro = rng.choice(category.intro)
        practical = (
            "教室有電腦可以使用。"
            if venue.computers and category.needs_computers
            else "請帶自己的手機來上課。"
        )
        summary = f"{intro}{audience.sentence}{practical}"
        if audience.language == Language.ENGLISH:
            summary = f"{audience.sentence} {intro}{practical}"

        faq = [FREE_FAQ, *category.faq, *audience.faq, MISSED_FAQ]
        if audience.subtitle:
            faq = [*IMMIGRANT_FAQS[audience.subtitle], *faq]
        # Stored as Wagtail stores StreamField data, with block ids (from their own seeded
        # generator, so ids never change the rest of the plan).
        faq_items = [
            {"type": "item", "value": {"question": q, "answer": f"<p>{a}</p>"}, "id": self._id()}
            for q, a in faq
        ]
        lessons = "".join(f"<li>{s.topic}</li>" for s in sessions)
        body = [
            {"type": "text", "value": f"<p>{intro}</p><p>{audience.sentence}</p>"},
            {"type": "heading", "value": "每堂課的內容"},
            {"type": "text", "value": f"<ol>{lessons}</ol>"},
            {"type": "faq", "value": {"heading": "常見問題", "items": faq_items}},
        ]
        for block in body:
            block["id"] = self._id()
        return CourseSpec(
            slug=self._slug(category.slug, venue.district),
            title=title,
            summary=summary,
            body=body,
            term=term.key,
            category=category.slug,
            level=level,
            target_codes=audience.target_codes,
            language=audience.language,
            language_note=audience.language_note,
            venue=venue.key,
            instructor=instructor,
            capacity=capacity,
            registration_opens_at=opens,
            registration_closes_at=closes,
            what_to_bring=category.what_to_bring,
            sessions=sessions,
        )


def _session_topics(topics: tuple[str, ...], count: int) -> list[str]:
    """Spread a category's six topics over fewer sessions, ending with the last one."""
    if count >= len(topics) or count < 2:
        return list(topics[:count])
    return [topics[round(i * (len(topics) - 1) / (count - 1))] for i in range(count)]


_DISTRICT_SHORT = {
    slug: name.removesuffix("區") for slug, name, _en, _remote in NEW_TAIPEI_DISTRICTS
}


def demo_course_plan(count: int = DEFAULT_COURSE_COUNT, *, seed: int = SEED) -> list[CourseSpec]:
    """The first `count` demo courses. The plan for n courses starts with the plan for fewer,
    so a bigger --scale only adds courses."""
    return CoursePlanner(seed).plan(count)


# --------------------------------------------------------------------------------------------
# Builders: write the demo to the database, creating only what is missing
# --------------------------------------------------------------------------------------------


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str, *, created: bool, number: int = 1) -> None:
        (self.created if created else self.existing)[kind] += number

    def kinds(self) -> list[str]:
        return list(dict.fromkeys([*self.created, *self.existing]))


# Sent by `seed_demo` inside its transaction after the catalogue exists, with `report`
# (a SeedReport to count into). Apps that build on the catalogue connect to it, so the
# catalogue never imports them.
demo_data_seeded = Signal()


def demo_users_setup(report: SeedReport) -> dict[str, AbstractUser]:
    """The demo administrator and the instructors, by username. Existing users keep their
    passwords; only their group membership is ensured."""
    user_model = get_user_model()
    instructors_group = Group.objects.get(name=INSTRUCTORS)
    administrators_group = Group.objects.get(name=ADMINISTRATORS)
    existing = {u.username: u for u in user_model.objects.filter(username__in=_demo_usernames())}
    # Hashing is deliberately slow; hash each demo password once, not once per user.
    hashes: dict[str, str] = {}

    def password_hash(password: str) -> str:
        if password not in hashes:
            hashes[password] = make_password(password)
        return hashes[password]

    admin = existing.get(ADMIN_USERNAME)
    report.count("users", created=admin is None)
    if admin is None:
        admin = user_model.objects.create(
            username=ADMIN_USERNAME,
            first_name="EZ-Learn 管理員",
            email=f"admin@{EMAIL_DOMAIN}",
            is_staff=True,
            is_superuser=True,
            password=password_hash(ADMIN_PASSWORD),
        )
    admin.groups.add(administrators_group)

    counter = existing.get(COUNTER_USERNAME)
    report.count("users", created=counter is None)
    if counter is None:
        counter = user_model.objects.create(
            username=COUNTER_USERNAME,
            first_name="板橋圖書館服務台",
            email=f"counter@{EMAIL_DOMAIN}",
            password=password_hash(COUNTER_PASSWORD),
        )
    counter.groups.add(Group.objects.get(name=COUNTER_STAFF))

    users: dict[str, AbstractUser] = {ADMIN_USERNAME: admin, COUNTER_USERNAME: counter}
    for spec in INSTRUCTORS_DEMO:
        user = existing.get(spec.username)
        report.count("users", created=user is None)
        if user is None:
            user = user_model.objects.create(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email,
                password=password_hash(INSTRUCTOR_PASSWORD),
            )
        user.groups.add(instructors_group)
        users[spec.username] = user
    return users


def _demo_usernames() -> list[str]:
    return [ADMIN_USERNAME, COUNTER_USERNAME, *(spec.username for spec in INSTRUCTORS_DEMO)]


def demo_categories_setup(report: SeedReport) -> dict[str, Category]:
    categories = {c.slug: c for c in Category.objects.all()}
    for order, spec in enumerate(CATEGORIES_DEMO, start=1):
        report.count("categories", created=spec.slug not in categories)
        if spec.slug not in categories:
            categories[spec.slug] = Category.objects.create(
                slug=spec.slug,
                name=spec.name,
                name_en=spec.name_en,
                description=spec.description,
                sort_order=order * 10,
            )
    return categories


def demo_shift(today: date | None = None) -> timedelta:
    """How far to move the planned dates: whole weeks from DEMO_TODAY to today, never back."""
    today = today or timezone.localdate()
    return timedelta(weeks=max(0, (today - DEMO_TODAY).days // 7))


def demo_terms_setup(report: SeedReport, *, shift: timedelta = timedelta(0)) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for spec in TERMS_DEMO:
        term, created = Term.objects.get_or_create(
            name=spec.name,
            defaults={
                "name_en": spec.name_en,
                "starts_on": spec.starts_on + shift,
                "ends_on": spec.ends_on + shift,
            },
        )
        report.count("terms", created=created)
        terms[spec.key] = term
    return terms


def demo_venues_setup(report: SeedReport) -> dict[str, Venue]:
    districts = {d.slug: d for d in District.objects.all()}
    by_name = {v.name: v for v in Venue.objects.filter(name__in=[s.name for s in VENUES_DEMO])}
    venues: dict[str, Venue] = {}
    for spec in VENUES_DEMO:
        venue = by_name.get(spec.name)
        report.count("venues", created=venue is None)
        if venue is None:
            venue = Venue(
                name=spec.name,
                name_en=spec.name_en,
                kind=spec.kind,
                district=districts[spec.district],
                address=spec.address,
                latitude=Decimal(spec.latitude),
                longitude=Decimal(spec.longitude),
                step_free=spec.step_free,
                computers=spec.computers,
                phone=spec.phone,
                directions=spec.directions,
            )
            venue.full_clean()
            venue.save()
        venues[spec.key] = venue
    return venues


def demo_courses_setup(
    *,
    catalogue: CourseIndexPage,
    plan: list[CourseSpec],
    users: dict[str, AbstractUser],
    terms: dict[str, Term],
    categories: dict[str, Category],
    venues: dict[str, Venue],
    report: SeedReport,
    now: datetime | None = None,
    shift: timedelta = timedelta(0),
) -> None:
    """Publish each planned course under the catalogue unless a page with its slug exists.
    Every planned date moves forward by `shift`."""
    now = now or timezone.now()
    groups = {g.code: g for g in TargetGroup.objects.all()}
    existing = set(catalogue.get_children().values_list("slug", flat=True))
    for spec in plan:
        report.count("courses", created=spec.slug not in existing)
        if spec.slug in existing:
            continue
        instructor = users[spec.instructor]
        # Published a week before registration opens (or now, for courses opening later).
        opens = spec.registration_opens_at + shift
        published = min(now, opens - timedelta(days=7))
        page = CoursePage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            body=spec.body,
            term=terms[spec.term],
            category=categories[spec.category],
            level=spec.level,
            language=spec.language,
            language_note=spec.language_note,
            venue=venues[spec.venue],
            instructor=instructor,
            owner=instructor,
            capacity=spec.capacity,
            registration_opens_at=opens,
            registration_closes_at=spec.registration_closes_at + shift,
            what_to_bring=spec.what_to_bring,
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        page.target_groups.set([groups[code] for code in spec.target_codes])
        page.sessions = [
            CourseSession(
                start=s.start + shift, end=s.end + shift, topic=s.topic, room=s.room, sort_order=i
            )
            for i, s in enumerate(spec.sessions)
        ]
        catalogue.add_child(instance=page)
        _course_revision_record(page, user=instructor, at=published)
        existing.add(spec.slug)


def _course_revision_record(page: CoursePage, *, user: AbstractUser, at: datetime) -> None:
    """Give the page the published revision the admin expects, without saving (and
    re-indexing) the page a second time."""
    revision = Revision(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
        created_at=at,
    )
    revision.save()
    CoursePage.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=at,
        draft_title=page.title,
        has_unpublished_changes=False,
    )


def demo_seed(
    *, catalogue: CourseIndexPage, count: int = DEFAULT_COURSE_COUNT, seed: int = SEED
) -> SeedReport:
    """Create whatever part of the demo is missing. Call site_setup() first."""
    report = SeedReport()
    shift = demo_shift()
    users = demo_users_setup(report)
    categories = demo_categories_setup(report)
    terms = demo_terms_setup(report, shift=shift)
    venues = demo_venues_setup(report)
    demo_courses_setup(
        catalogue=catalogue,
        plan=demo_course_plan(count, seed=seed),
        users=users,
        terms=terms,
        categories=categories,
        venues=venues,
        report=report,
        shift=shift,
    )
    return report
