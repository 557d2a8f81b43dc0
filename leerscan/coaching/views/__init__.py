"""Views of the coaching side: the coach's pages under /coaching/ (clients.py, plan.py,
rounds.py), the client's invitation (invite.py) and the owner's pages under the scan's private
link (share.py)."""
