import { continueCommand } from '../../src/trigger/phrase.js';

const PHRASE = '@nightshift';
const FORM = 'write the top-up as a dollar amount after continue, like $2 or $0.50';

describe('continueCommand: the top-up command in a comment', () => {
  it.each([
    ['@nightshift continue', {}],
    ['@nightshift continue $2', { amountUsd: 2 }],
    ['@nightshift continue $0.5', { amountUsd: 0.5 }],
    ['@nightshift continue $0.50', { amountUsd: 0.5 }],
    ['@nightshift continue $2.00', { amountUsd: 2 }],
    ['@nightshift continue $2.', { amountUsd: 2 }],
    ['@nightshift continue!', {}],
    ['@NightShift CONTINUE $3', { amountUsd: 3 }],
    ['@nightshift: continue $1', { amountUsd: 1 }],
    ['Thanks, that looks right. @nightshift continue $2', { amountUsd: 2 }],
    ['Out of budget again.\n\n@nightshift continue $1.25\n\nThe README part is still missing.', { amountUsd: 1.25 }],
    ['  @nightshift   continue   $4  ', { amountUsd: 4 }],
  ])('%j is a top-up', (text, expected) => {
    expect(continueCommand(text, PHRASE)).toEqual(expected);
  });

  it.each([
    ['@nightshift continue 2', `continue 2: "2" has no dollar sign, so it is not taken as dollars; ${FORM}`],
    ['@nightshift continue $-1', `continue $-1: "$-1" is not a dollar amount; ${FORM}`],
    ['@nightshift continue $abc', `continue $abc: "$abc" is not a dollar amount; ${FORM}`],
    ['@nightshift continue $0', `continue $0: the top-up must be more than $0; ${FORM}`],
    ['@nightshift continue $0.00', `continue $0.00: the top-up must be more than $0; ${FORM}`],
    ['@nightshift continue $1,000', `continue $1,000: "$1,000" is not a dollar amount; ${FORM}`],
    ['@nightshift continue $1e3', `continue $1e3: "$1e3" is not a dollar amount; ${FORM}`],
    ['@nightshift continue 0.5', `continue 0.5: "0.5" has no dollar sign, so it is not taken as dollars; ${FORM}`],
  ])('%j is an error naming the value and the form', (text, error) => {
    expect(continueCommand(text, PHRASE)).toEqual({ error });
  });

  it.each([
    ['@nightshift continue with the tests'],
    ['@nightshift continue please'],
    ['@nightshift continue $2 and also fix the README'],
    ['@nightshift please continue'],
    ['@nightshift why does this test time out?'],
    ['continue $2'],
    ['@nightshiftbot continue $2'],
    ['`@nightshift continue $2`'],
    ['> @nightshift continue $2\n\nI agree with the above.'],
    ['```\n@nightshift continue $2\n```'],
    ['<!-- @nightshift continue $2 -->'],
    ['email@nightshift continue'],
  ])('%j is not the command', (text) => {
    expect(continueCommand(text, PHRASE)).toBeUndefined();
  });

  it('follows the configured phrase', () => {
    expect(continueCommand('/agent continue $2', '/agent')).toEqual({ amountUsd: 2 });
    expect(continueCommand('@nightshift continue $2', '/agent')).toBeUndefined();
  });
});
