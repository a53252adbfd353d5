from decimal import Decimal, InvalidOperation

from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import Account, Entry


def accounts(request):
    # A read: the router sends it to the replica.
    return render(request, "books/accounts.html", {"accounts": Account.objects.order_by("name")})


@require_POST
def transfer(request):
    """Move money between two accounts.

    The request runs in one transaction on the primary (ATOMIC_REQUESTS): the
    debit is written first, and when the balance check after it fails the
    exception rolls the debit back. Without ATOMIC_REQUESTS every transfer fails
    (select_for_update cannot be used outside of a transaction).
    """
    try:
        amount = Decimal(request.POST["amount"])
    except (KeyError, InvalidOperation):
        raise BadRequest("amount is required") from None
    if amount <= 0:
        raise BadRequest("amount must be positive")
    # select_for_update() is a write query: it goes to the primary and locks both rows.
    source = get_object_or_404(Account.objects.select_for_update(), pk=request.POST.get("source"))
    target = get_object_or_404(Account.objects.select_for_update(), pk=request.POST.get("target"))
    Entry.objects.create(account=source, amount=-amount, memo=f"to {target}")
    if source.balance(using="default") < 0:
        raise BadRequest(f"insufficient funds in {source}")
    Entry.objects.create(account=target, amount=amount, memo=f"from {source}")
    return redirect("books:accounts")
