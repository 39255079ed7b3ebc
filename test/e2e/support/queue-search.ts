import type { Frame, Page } from 'playwright-core';

/**
 * Types `words` into the review queue's search box and resolves once the queue shows the
 * answer to that search. The box applies what was typed after a 300 ms pause in typing;
 * a fixed wait for that is not enough on a busy machine, where the pause can end later and
 * the list of before is then still shown, undimmed, as if it were the answer. So this waits
 * for the list request that carries the search to be answered, then for the rows it replaces
 * (dimmed and inert while it is read) to go.
 */
export async function searchQueue(page: Page, frame: Frame, words: string): Promise<void> {
  const search = words.trim();
  if (!search) throw new Error('searchQueue needs words to search for');
  const answered = page.waitForResponse((r) => {
    const body = r.request().postData() ?? '';
    return new URL(r.url()).pathname === '/__bridge' && body.includes('pairs.list') && body.includes(search);
  });
  await frame.locator('[data-testid="search-input"]').fill(words);
  await answered;
  // The rows of before sit in an inert block inside the list until the answer replaces them.
  await frame.locator('[data-testid="pair-list"] [inert]').waitFor({ state: 'detached' });
}
