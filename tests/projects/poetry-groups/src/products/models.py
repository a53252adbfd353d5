from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    price_pence = models.PositiveIntegerField()
    photo = models.ImageField(upload_to="products/", blank=True)
    in_stock = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name
