"""The models of articles/, one module per concern; every model is importable from here.

``from articles.models import Article`` (and ``approval_hash``, which a migration imports) keep working whatever
module a model lives in. A new module's models must be imported here, or Django does not see them.
"""

from articles.models.approval import Approval, ArticleApproval, approval_hash
from articles.models.approved_content import ApprovedContent, Draft, drafts_of, values_hash
from articles.models.article_queries import ArticleQuerySet
from articles.models.articles import Article
from articles.models.people import Person, PersonQuerySet
from articles.models.practice_areas import PracticeArea
from articles.models.redirects import ArticleRedirect
from articles.models.search import SearchSynonym, SearchTerm
from articles.models.site import ContentState
from articles.models.time_limits import TimeLimitRule, short_form_rules

__all__ = [
    "Approval",
    "ApprovedContent",
    "Article",
    "ArticleApproval",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ContentState",
    "Draft",
    "Person",
    "PersonQuerySet",
    "PracticeArea",
    "SearchSynonym",
    "SearchTerm",
    "TimeLimitRule",
    "approval_hash",
    "drafts_of",
    "short_form_rules",
    "values_hash",
]
