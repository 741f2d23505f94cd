import type { QueuedMail, Store } from '../types.js';
import type { Db } from './db.js';

type MailQueries = Pick<Store, 'enqueueMail' | 'claimDueMail' | 'markMailSent' | 'markMailFailed' | 'countMailTo' | 'deleteOldMail'>;

/** The mail queue on `sql` (the pool or a transaction), drained by whichever instances run it. */
export function mailQueries(sql: Db): MailQueries {
  return {
    async enqueueMail(m) {
      await sql`INSERT INTO mail_queue (id, recipient, subject, body_text, body_html, links, status, tries, next_try_at, created_at)
        VALUES (${m.id}, ${m.to}, ${m.subject}, ${m.text}, ${m.html}, ${sql.array(m.links)}::text[], 'queued', 0, ${m.createdAt}, ${m.createdAt})`;
    },
    async claimDueMail(now, limit, leaseMs) {
      // SKIP LOCKED: a row another instance is claiming right now is passed over, not waited for
      // and then taken twice; once claimed, its lease keeps it out of everyone's due set.
      return sql<QueuedMail[]>`
        WITH due AS (
          SELECT id, next_try_at FROM mail_queue WHERE status = 'queued' AND next_try_at <= ${now}
          ORDER BY next_try_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE mail_queue m SET next_try_at = ${now + leaseMs}, tries = m.tries + 1 FROM due WHERE m.id = due.id
          RETURNING m.id, m.recipient, m.subject, m.body_text, m.body_html, m.links, m.tries, m.created_at, due.next_try_at AS due_at
        )
        SELECT id, recipient AS "to", subject, body_text AS text, body_html AS html, links, tries, created_at FROM claimed ORDER BY due_at, id`;
    },
    async markMailSent(id) {
      // The body may carry a link or a code. PostgreSQL has no secure_delete: the old row version
      // stays in the table file until VACUUM (autovacuum) reclaims it, which it soon does.
      await sql`UPDATE mail_queue SET status = 'sent', body_text = NULL, body_html = NULL, links = NULL, last_error = NULL WHERE id = ${id}`;
    },
    async markMailFailed(id, error, nextTryAt) {
      if (nextTryAt === null) await sql`UPDATE mail_queue SET status = 'failed', body_text = NULL, body_html = NULL, links = NULL, last_error = ${error} WHERE id = ${id}`;
      else await sql`UPDATE mail_queue SET next_try_at = ${nextTryAt}, last_error = ${error} WHERE id = ${id}`;
    },
    async countMailTo(to, since) {
      const [{ n }] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM mail_queue WHERE recipient = ${to} AND created_at > ${since}`;
      return n;
    },
    async deleteOldMail(before) {
      return (await sql`DELETE FROM mail_queue WHERE status <> 'queued' AND created_at <= ${before}`).count;
    },
  };
}
