"""Ask an ambassador: questions the bot could not answer, answered by a person in the user's own chat.

`model` (tickets), `store` (the store interfaces), `questions` (where each question ended, for DRI),
`proposals` (what the knowledge base could learn), `routing` (which channel of the ambassadors' team gets a
question), `hours` (Brussels business hours for reminders and times to answer). Plain Python: the bot layer
(bot/conversation/tickets.py) turns activities into calls on it.
"""

from nwow.tickets.model import (
    Ambassador,
    NewTicket,
    Origin,
    Ticket,
    TicketAnswer,
    TicketStatus,
)
from nwow.tickets.store import Act, Acted, ProposalStore, QuestionLog, TicketStore

__all__ = [
    "Act",
    "Acted",
    "Ambassador",
    "NewTicket",
    "Origin",
    "ProposalStore",
    "QuestionLog",
    "Ticket",
    "TicketAnswer",
    "TicketStatus",
    "TicketStore",
]
