from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A conference theme, one per peer-learning event of the project."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    event_city = models.CharField(_("peer-learning event"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return str(self.name)
