"""Logging in and out, resetting a password, inviting a colleague (organisation admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerscan import ratelimit
from leerscan.advisers.access import adviser_required
from leerscan.advisers.forms import AdviserLoginForm, InviteForm
from leerscan.advisers.models import Adviser
from leerscan.advisers.services import adviser_create

login = auth_views.LoginView.as_view(
    template_name="advisers/login.html",
    authentication_form=AdviserLoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view(next_page=reverse_lazy("advisers:login"))

_reset = {
    "email_template_name": "advisers/password_reset_email.txt",
    "subject_template_name": "advisers/password_reset_subject.txt",
}


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with a limit on the mails: per e-mail address asked for (so
    nobody can bury an adviser's inbox) and per client address (so nobody can mail a list of
    addresses). Both count every valid request, whether or not the address has an account, and
    a mail held back by the address's limit gets the same "check your e-mail" page as one sent:
    the answer never tells whether an address has an account."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        refused = ratelimit.check(
            self.request,
            ratelimit.limit("password_reset_client"),
            message=_(
                "Many password e-mails were asked for from your network in a short time. To "
                "keep Leerscan safe, there is a limit."
            ),
            back_url=reverse("advisers:login"),
            back_label=_("Back to log in"),
        )
        if refused:
            return refused
        email = form.cleaned_data["email"].strip().lower()
        if ratelimit.hit(ratelimit.limit("password_reset_email"), f"email:{email}") is not None:
            return redirect(self.get_success_url())
        return super().form_valid(form)


password_reset = LimitedPasswordResetView.as_view(
    template_name="advisers/password_reset.html",
    success_url=reverse_lazy("advisers:password_reset_done"),
    **_reset,
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="advisers/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="advisers/password_reset_confirm.html",
    success_url=reverse_lazy("advisers:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="advisers/password_reset_complete.html"
)


@require_http_methods(["GET", "POST"])
@adviser_required
def invite(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """An organisation admin adds a colleague, who gets an e-mail to choose a password."""
    if not adviser.is_organisation_admin:
        return render(request, "advisers/not_admin.html", status=403)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username=email).exists():
            form.add_error("email", _("This e-mail address already has an account."))
        else:
            adviser_create(email=email, organisation_name=adviser.organisation.name, password=None)
            reset = PasswordResetForm({"email": email})
            reset.is_valid()
            reset.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="advisers/invite_subject.txt",
                email_template_name="advisers/invite_email.txt",
                extra_email_context={"organisation": adviser.organisation.name},
            )
            messages.success(request, _("%(email)s has been invited by e-mail.") % {"email": email})
            return redirect("advisers:invite")
    colleagues = adviser.organisation.advisers.select_related("user").order_by("user__email")
    status = 400 if form.errors else 200
    return render(
        request, "advisers/invite.html", {"form": form, "colleagues": colleagues}, status=status
    )
