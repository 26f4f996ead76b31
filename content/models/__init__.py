from .citation_changes import CitationChange
from .media import VideoMedia
from .pages import (
    ArticlePage,
    ArticlePageTag,
    ContentPage,
    FeaturedTopic,
    HomePage,
    TopicIndexPage,
    VideoPage,
    VideoPageTag,
)
from .statutes import Statute, StatuteArticle

__all__ = [
    "ArticlePage",
    "ArticlePageTag",
    "CitationChange",
    "ContentPage",
    "FeaturedTopic",
    "HomePage",
    "Statute",
    "StatuteArticle",
    "TopicIndexPage",
    "VideoMedia",
    "VideoPage",
    "VideoPageTag",
]
