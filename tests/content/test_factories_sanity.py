from tests.factories import article_label


def test_article_labels_read_as_chinese_numbers():
    assert article_label(1) == "第一条"
    assert article_label(10) == "第十条"
    assert article_label(23) == "第二十三条"
    assert article_label(105) == "第一百零五条"
    assert article_label(1254) == "第一千二百五十四条"
