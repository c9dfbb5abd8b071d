// @ts-check
// Counting in words the page shows: "1 step", "2 steps".

/**
 * @param {number} n
 * @param {string} noun The singular.
 * @param {string} [nouns] The plural, when it is not the singular with an s.
 */
export const count = (n, noun, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;
