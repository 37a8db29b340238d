from django.db import models


class UnitQuerySet(models.QuerySet):
    def by_slug(self, slug: str):
        return self.filter(slug=slug)

    def administrations(self):
        return self.filter(kind="administration")
