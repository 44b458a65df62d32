"""Real-looking news articles for dedup tests, written for the tests (no external data)."""

from __future__ import annotations

FLOOD = """Heavy rain pushed the river over its banks early on Tuesday, flooding the old town and forcing hundreds of residents to leave their homes before dawn.
Emergency crews worked through the night to fill sandbags along the embankment, but the water rose faster than forecasters had expected after a week of storms across the region.
The mayor said the council had opened three schools and a sports hall as shelters, and that buses would run every half hour from the main square to the high ground north of the city.
Residents described waking to the sound of sirens and finding water already in their kitchens. One shop owner said he had lost most of his stock for the second time in five years.
The regional weather service warned that more rain was likely over the weekend and asked people living near smaller streams to follow local radio for updates.
Engineers will inspect the bridges once the level falls. Two of them were closed on Tuesday afternoon as a precaution, cutting the main road to the hospital.
The national government has promised emergency funds, but local officials said the money would only cover a fraction of the damage and called for a long term plan to protect the valley.
Insurance companies said they expected thousands of claims and urged customers to photograph the damage before starting any repairs or throwing anything away."""

ELECTION = """Voters in the northern district will return to the polls next month after the electoral commission annulled the result of the March vote because of missing ballot papers.
The commission said that more than two thousand ballots from four polling stations could not be accounted for, a number larger than the winning margin of the sitting member.
Both main parties said they welcomed the decision, although the governing party described the errors as administrative and denied any attempt to influence the count.
Observers from a civic group said they had reported problems with the sealing of ballot boxes on the evening of the vote and had been ignored by local officials at the time.
The new election will use the same candidate lists. Campaigning may resume immediately, but spending limits will be reduced by half to reflect the shorter period.
Turnout in March was just under sixty percent, and analysts expect it to fall in a repeat vote held during the summer holidays when many families are away."""

MARKET = """Shares in the country's largest grocery chain fell sharply on Wednesday after the company cut its profit forecast for the year and announced the closure of forty stores.
The chief executive blamed rising energy costs and weaker spending by households that are still struggling with higher rents and food prices.
The company will keep its dividend unchanged but will delay a planned expansion into two neighbouring markets until at least the end of next year.
Unions said they would seek urgent talks about the jobs at risk. The company said it would try to offer staff positions in nearby stores wherever possible.
Analysts said the warning was not a surprise given the results of smaller rivals, but that the scale of the store closures was larger than the market had expected."""

ARTICLES = (FLOOD, ELECTION, MARKET)
