from django.shortcuts import render

PRODUCTS = [
    {"name": "Espresso cup", "price": "9.00"},
    {"name": "Pour-over kettle", "price": "39.00"},
]


def index(request):
    return render(request, "catalog/index.html", {"products": PRODUCTS})
