import type { ReactNode } from 'react';

/**
 * Text a person wrote (titles, descriptions, questions, answers, comments): isolated from the
 * page's direction (an English title in an Arabic page, or the reverse, keeps its own order and
 * does not reorder the punctuation around it) and shown with its line breaks.
 */
export function UserText({ children }: { children: ReactNode }) {
  return <bdi className="user-text">{children}</bdi>;
}
