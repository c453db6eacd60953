import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handlespor.calls.models import Application, Call, Track
from handlespor.links import derive_token, hash_token

STALE_QUEUED = timedelta(minutes=10)  # no worker picked it up
STALE_RUNNING = timedelta(minutes=3)  # the worker stopped reporting progress


class Review(models.Model):
    """One reviewer's score (1–5) and comment on an application for one of its tracks."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    score = models.PositiveSmallIntegerField(
        _("vurdering"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        ordering = ["application", "track", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "track", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.track}: {self.score}"


class Conflict(models.Model):
    """A conflict of interest a reviewer declared: the application is hidden from them."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("begrundelse"), max_length=300)
    declared_at = models.DateTimeField(_("erklæret"), default=timezone.now)

    class Meta:
        verbose_name = _("interessekonflikt")
        verbose_name_plural = _("interessekonflikter")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="one_conflict_each")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ↔ {self.application}"


class Run(models.Model):
    """A background run for a call (the engine's composition or the lottery's chances): its
    status, progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        RUNNING = "running", _("kører")
        DONE = "done", _("færdig")
        FAILED = "failed", _("fejlet")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.CharField(_("fremdrift"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("senest i live"), null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    error = models.TextField(_("fejl"), blank=True)
    result = models.JSONField(_("resultat"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def is_stale(self, now: datetime | None = None) -> bool:
        """A run whose worker stopped reporting: shown as failed, never as running forever."""
        if self.status not in {self.Status.QUEUED, self.Status.RUNNING}:
            return False
        last = self.heartbeat_at or self.created_at
        limit = STALE_QUEUED if self.status == self.Status.QUEUED else STALE_RUNNING
        return (now or timezone.now()) - last > limit

    @property
    def shown_status(self) -> str:
        return self.Status.FAILED if self.is_stale() else self.status

    @property
    def is_active(self) -> bool:
        return self.shown_status in {self.Status.QUEUED, self.Status.RUNNING}


class Proposal(Run):
    """One run of the composition engine for a call, kept with its result; or the composition
    a lottery drew (then `lottery` is that lottery)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    name = models.CharField(_("navn"), max_length=120, blank=True)

    class Meta(Run.Meta):
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")

    def __str__(self) -> str:
        return self.name or f"{self.call} #{self.pk}"


class Lottery(Run):
    """A fair lottery for a call: every applicant's chance, computed on the worker (leximin over
    the compositions that meet every target as a hard quota), the table of m equally likely
    compositions, and once drawn, the seed, the number and the proposal the draw filled.
    `result` is written by `handlespor.selection.lottery.lottery_result`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="lotteries")
    seed = models.CharField(_("frø"), max_length=100, blank=True)
    number = models.PositiveIntegerField(_("udtrukket nummer"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("trukket"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="lottery"
    )

    class Meta(Run.Meta):
        verbose_name = _("lodtrækning")
        verbose_name_plural = _("lodtrækninger")

    def __str__(self) -> str:
        return f"{self.call} · {_('lodtrækning')} #{self.pk}"

    @property
    def is_drawn(self) -> bool:
        return self.number is not None

    @property
    def has_table(self) -> bool:
        """Computed, with a table to draw from (some composition meets the targets)."""
        return self.status == self.Status.DONE and not (self.result or {}).get("infeasible", True)


class SelectionLock(models.Model):
    """A human decision the engine must respect: in a track, excluded, or not in a track."""

    class Kind(models.TextChoices):
        IN_TRACK = "in_track", _("låst til handlespor")
        EXCLUDED = "excluded", _("udelukket")
        NOT_IN_TRACK = "not_in_track", _("ikke i handlespor")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="locks")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="locks")
    kind = models.CharField(_("art"), max_length=15, choices=Kind.choices)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    continuing = models.BooleanField(
        _("fortsætter fra sidste år"),
        default=False,
        help_text=_("Et medlem af sporet sidste år, der fortsætter: allerede på plads."),
    )

    class Meta:
        verbose_name = _("lås")
        verbose_name_plural = _("låse")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "track"], name="one_lock_each"),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(kind__in=["in_track", "excluded"]),
                name="one_placement_lock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_kind_display()} {self.track or ''}".strip()


class Activity(models.Model):
    """Who did what on the composition board, and when."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("handling"), max_length=300)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text


class DecisionQuerySet(models.QuerySet):
    def seats(self) -> "DecisionQuerySet":
        """Released "selected" decisions still held: offered or confirmed."""
        return self.filter(
            outcome=Decision.Outcome.SELECTED,
            released_at__isnull=False,
            declined_at__isnull=True,
            left_at__isnull=True,
        )

    def members(self) -> "DecisionQuerySet":
        """The seats confirmed: the members of their tracks."""
        return self.seats().filter(confirmed_at__isnull=False)


class Decision(models.Model):
    """The outcome for one application: pending until the secretariat releases it."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("udvalgt")
        WAITING = "waiting", _("venteliste")
        NOT_SELECTED = "not_selected", _("ikke udvalgt")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("afgørelse"), max_length=15, choices=Outcome.choices)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, null=True, blank=True)
    waiting_position = models.PositiveSmallIntegerField(_("plads på ventelisten"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    message = models.ForeignKey(
        "mail.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    left_at = models.DateTimeField(_("forladt"), null=True, blank=True)
    offered_at = models.DateTimeField(_("plads tilbudt"), null=True, blank=True)
    # A seat is offered with the released decision (or a later offer) and answered from the
    # person's private seat link, which becomes their member page once they confirm.
    answer_by = models.DateTimeField(_("svarfrist for pladsen"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("plads bekræftet"), null=True, blank=True)
    declined_at = models.DateTimeField(_("plads afslået"), null=True, blank=True)
    declined_silently = models.BooleanField(_("intet svar inden fristen"), default=False)
    seat_token_nonce = models.CharField(max_length=32, blank=True, editable=False)
    seat_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    renewal_asked_at = models.DateTimeField(_("spurgt om næste år"), null=True, blank=True)
    continues = models.BooleanField(_("fortsætter næste år"), null=True, blank=True)
    share_email = models.BooleanField(
        _("e-mail synlig for de andre deltagere"),
        default=False,
        help_text=_("Deltageren vælger selv at vise sin e-mailadresse for de andre i sporet."),
    )

    objects = DecisionQuerySet.as_manager()

    class SeatState(models.TextChoices):
        OFFERED = "offered", _("tilbudt")
        CONFIRMED = "confirmed", _("bekræftet")
        DECLINED = "declined", _("afslået")
        NO_ANSWER = "no_answer", _("intet svar")
        LEFT = "left", _("forladt")

    class Meta:
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def seat_state(self) -> str | None:
        """Where the seat stands, for a released "selected" decision; None for any other."""
        if self.outcome != self.Outcome.SELECTED or self.released_at is None:
            return None
        if self.left_at is not None:
            return self.SeatState.LEFT
        if self.declined_at is not None:
            return self.SeatState.NO_ANSWER if self.declined_silently else self.SeatState.DECLINED
        if self.confirmed_at is not None:
            return self.SeatState.CONFIRMED
        return self.SeatState.OFFERED

    def get_seat_state_display(self) -> str:
        state = self.seat_state
        return self.SeatState(state).label if state else ""

    @property
    def is_member(self) -> bool:
        return self.seat_state == self.SeatState.CONFIRMED

    def new_seat_token(self) -> str:
        """Set a fresh seat link and return its token; only its hash and nonce are kept, so
        every earlier seat link stops working."""
        self.seat_token_nonce = secrets.token_urlsafe(24)[:32]
        token = derive_token(f"seat:{self.seat_token_nonce}")
        self.seat_token_hash = hash_token(token)
        return token

    def current_seat_token(self) -> str | None:
        """The seat link's token as it was last e-mailed, or None when it cannot be derived
        (under another secret key)."""
        if not self.seat_token_nonce:
            return None
        token = derive_token(f"seat:{self.seat_token_nonce}")
        return token if hash_token(token) == self.seat_token_hash else None


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("kommentar"), max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kommentar til forslag")
        verbose_name_plural = _("kommentarer til forslag")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
