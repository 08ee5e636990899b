from courses.search import cjk_index_text, cjk_query_text


def test_index_text_holds_every_chinese_character_and_bigram():
    words = cjk_index_text("長輩手機").split()
    assert {"長", "輩", "手", "機", "長輩", "輩手", "手機"} <= set(words)


def test_other_scripts_pass_through_unchanged():
    assert cjk_index_text("LINE video call") == "LINE video call"
    assert cjk_query_text("Học dùng điện thoại") == "Học dùng điện thoại"


def test_query_text_turns_chinese_into_bigrams_and_keeps_a_single_character():
    assert cjk_query_text("手機入門") == "手機 機入 入門"
    assert cjk_query_text("手") == "手"
    assert cjk_query_text("LINE 視訊") == "LINE 視訊"
