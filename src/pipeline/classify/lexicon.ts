/**
 * A small hand-written polarity and complaint lexicon (written for this project, no external list).
 * It is only a handful of dense features next to tens of thousands of learned n-gram weights:
 * it helps the models on words that are rare in the training data.
 * A token carrying the tokenizer's `_neg` mark counts for the opposite polarity.
 */

const POSITIVE = new Set(
  `good great awesome amazing love loved loving lovely excellent fantastic wonderful best better nice
  happy glad pleased thank thanks thankyou thx ty appreciate appreciated appreciation perfect brilliant
  cool fun enjoy enjoyed enjoying beautiful gorgeous fabulous superb outstanding impressive impressed
  helpful friendly kind smooth easy quick fast comfortable comfy excited exciting win winning won
  congrats congratulations yay woohoo hooray cheers favorite favourite fav recommend recommended
  delighted delightful grateful thankful proud glad wow incredible sweet super cute lucky blessed
  successful success safe satisfied pleasure pleasant solid stellar terrific phenomenal legend
  legendary rock rocks rocked kudos props bravo hero heroes champ champion worth improved improvement
  yes yeah lol haha hahaha lmao ok okay fine well luv <3 :) :d ;) :p xd`.split(/\s+/),
);

const NEGATIVE = new Set(
  `bad worse worst terrible horrible awful poor hate hated hating sucks suck sucked crap crappy shit
  shitty disappointed disappointing disappointment disgusting disgusted annoyed annoying angry mad
  furious upset sad unhappy frustrated frustrating frustration ridiculous pathetic useless rude
  unacceptable fail failed fails failure fault broken broke delay delayed delays cancelled canceled
  cancel lost losing missing stuck stranded waiting wait waited never nobody nothing wrong problem
  problems issue issues error errors complaint complain complained refund ugh wtf smh fml sucky
  incompetent joke lie lied lies liar scam ripoff rip-off overpriced expensive slow late dirty nasty
  horrendous dreadful miserable sick tired worried worry afraid scared fear angry hell damn killed
  kill die dead death died worst-ever stupid dumb idiot idiots ignored ignore ignoring unhelpful
  inconvenience inconvenienced ruined ruin lousy sorry unfortunately fucking fuck wth boo sigh hurt
  pain painful cry crying tragic tragedy attack war bomb shooting :( :/ d:`.split(/\s+/),
);

const COMPLAINT = new Set(
  `refund broken delayed delay cancelled canceled charged overcharged still waiting hold hours days
  weeks never lost missing damaged wrong error fix fixed outage down again yet nobody ignored
  unacceptable disappointed worst terrible rude help why unable cant can't wont doesnt didnt
  disconnected crashed crash crashing slow stuck failed failure complaint complain customer service
  money back replacement return returned late promised bill billing fee fees`.split(/\s+/),
);

export interface LexiconScores {
  positive: number;
  negative: number;
  complaint: number;
}

export function lexiconScores(tokens: readonly string[]): LexiconScores {
  let positive = 0;
  let negative = 0;
  let complaint = 0;
  for (const t of tokens) {
    const negated = t.endsWith('_neg');
    const w = negated ? t.slice(0, -4) : t;
    if (POSITIVE.has(w)) {
      if (negated) negative++;
      else positive++;
    } else if (NEGATIVE.has(w)) {
      if (negated) positive += 0.5;
      else negative++;
    }
    if (COMPLAINT.has(w)) complaint++;
  }
  return { positive, negative, complaint };
}
