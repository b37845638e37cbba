from django.core.files.storage import default_storage
from django.db import transaction

from articles.search import rebuild_vocabulary


def article_changed(sender, **kwargs):
    """Keep the "Did you mean" vocabulary in step with published titles and headings."""
    if kwargs.get("raw"):
        return
    transaction.on_commit(rebuild_vocabulary)


# /media/ is public: an article's social image that was replaced or removed, or whose article was deleted,
# is deleted from storage once no article row names it any more. Checking the rows after the commit (not
# the value being saved) keeps a file that is still live, e.g. while a replacement waits for approval.
# What the row held is the value loaded with the instance (Article.from_db keeps it), so a save that does
# not change the image costs no query; an instance not loaded from the database asks it.


def remember_social_image(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "social_image" not in update_fields:
        return  # the column is not written
    loaded = instance.__dict__.get("_loaded_social_image")
    if loaded is None:
        loaded = sender.objects.filter(pk=instance.pk).values_list("social_image", flat=True).first() or ""
    else:
        image = instance.social_image
        if image._committed and (image.name or "") == loaded:
            return  # unchanged
    instance._social_image_before = loaded


def social_image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    old = instance.__dict__.pop("_social_image_before", "")
    if update_fields is None or "social_image" in update_fields:
        instance._loaded_social_image = instance.social_image.name or ""  # what the row holds now
    if not raw and old:
        delete_if_unused(sender, old)


def social_image_deleted(sender, instance, **kwargs):
    if instance.social_image.name:
        delete_if_unused(sender, instance.social_image.name)


def delete_if_unused(model, name: str) -> None:
    def delete():
        if not model.objects.filter(social_image=name).exists():
            default_storage.delete(name)

    transaction.on_commit(delete)


def connect_file_cleanup(article_model) -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(remember_social_image, sender=article_model, dispatch_uid="articles-social-image-before")
    post_save.connect(social_image_saved, sender=article_model, dispatch_uid="articles-social-image")
    post_delete.connect(social_image_deleted, sender=article_model, dispatch_uid="articles-social-image-gone")
