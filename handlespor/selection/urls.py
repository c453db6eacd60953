from django.urls import path

from handlespor.selection import board, views

app_name = "selection"
urlpatterns = [
    path("<int:year>/", board.board, name="board"),
    path("<int:year>/status/", board.board_status, name="status"),
    path("<int:year>/koer/", board.board_run, name="run"),
    path("<int:year>/laas/", board.board_lock, name="lock"),
    path("<int:year>/laas/<int:pk>/frigiv/", board.board_release, name="release"),
    path("<int:year>/forslag/<int:pk>/godkend/", board.board_approve, name="approve"),
    path("<int:year>/udsendelse/", board.outbox, name="outbox"),
    path("<int:year>/udsendelse/send/", board.release, name="send"),
    path("<int:year>/deltagerkredse.<str:fmt>", board.groups_export, name="groups_export"),
    path("<int:year>/rapport/", board.report, name="report"),
    path("<int:year>/deltager/<int:pk>/forlader/", board.leave, name="leave"),
    path("<int:year>/venteliste/<int:pk>/tilbyd/", board.offer, name="offer"),
    path("<int:year>/forslag/<int:pk>/navn/", board.proposal_rename, name="rename"),
    path("<int:year>/forslag/<int:pk>/kommentar/", board.proposal_comment, name="comment"),
    path("<int:year>/sammenlign/", board.compare, name="compare"),
    path("<int:year>/maal/", board.targets, name="targets"),
    path("<int:year>/lodtraekning/", board.lottery_page, name="lottery"),
    path("<int:year>/lodtraekning/status/", board.lottery_status, name="lottery_status"),
    path("<int:year>/lodtraekning/beregn/", board.lottery_run, name="lottery_run"),
    path("<int:year>/lodtraekning/<int:pk>/traek/", board.lottery_draw, name="lottery_draw"),
    path(
        "<int:year>/lodtraekning/<int:pk>/offentlig/", board.lottery_public, name="lottery_public"
    ),
    path("<int:year>/lodtraekning/<int:pk>/tabel.csv", board.lottery_table, name="lottery_table"),
    path("<int:year>/vurderinger/", views.review_list, name="reviews"),
    path("<int:year>/vurderinger/<int:pk>/", views.review_detail, name="review"),
]
