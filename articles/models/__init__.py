"""The models of articles/, one module per concern; every model is importable from here.

``from articles.models import Article`` (and ``approval_hash``, which a migration imports) keep working whatever
module a model lives in. A new module's models must be imported here, or Django does not see them.
"""

from articles.models.approval import ArticleApproval, approval_hash
from articles.models.articles import ApprovedTextIterable, Article, ArticleQuerySet, ArticleRedirect
from articles.models.people import Person, PersonQuerySet
from articles.models.practice_areas import PracticeArea
from articles.models.search import SearchSynonym, SearchTerm
from articles.models.site import ContentState

__all__ = [
    "ApprovedTextIterable",
    "Article",
    "ArticleApproval",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ContentState",
    "Person",
    "PersonQuerySet",
    "PracticeArea",
    "SearchSynonym",
    "SearchTerm",
    "approval_hash",
]
