from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Product


def product_list(request: HttpRequest) -> HttpResponse:
    products = Product.objects.filter(in_stock=True)
    return render(request, "products/product_list.html", {"products": products})
