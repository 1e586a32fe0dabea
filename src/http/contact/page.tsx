/** The public contact form: plain HTML form, works without JavaScript. */
import { Layout } from '../../web/layout.tsx';
import { HONEYPOT_FIELD } from './spam.ts';

export interface ContactValues {
  name: string;
  email: string;
  subject: string;
  message: string;
}

export function ContactPage(props: {
  csrfToken: string;
  stamp: string;
  values?: Partial<ContactValues>;
  error?: string;
}) {
  const v = props.values ?? {};
  return (
    <Layout
      title="Contact us"
      csrfToken={props.csrfToken}
      description="Send us a message: we answer by email."
    >
      <h1>Contact us</h1>
      <p>Write to us privately. We answer by email, and you get a confirmation right away.</p>
      {props.error && (
        <p class="error" role="alert" id="contact-error">
          {props.error}
        </p>
      )}
      <form
        method="post"
        action="/contact"
        class="stack"
        aria-describedby={props.error ? 'contact-error' : undefined}
      >
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="started" value={props.stamp} />
        <label for="contact-name">Your name</label>
        <input id="contact-name" name="name" autocomplete="name" maxLength={200} value={v.name ?? ''} />
        <label for="contact-email">Your email address (required)</label>
        <input
          id="contact-email"
          name="email"
          type="email"
          autocomplete="email"
          required
          maxLength={254}
          value={v.email ?? ''}
        />
        <label for="contact-subject">Subject</label>
        <input id="contact-subject" name="subject" maxLength={200} value={v.subject ?? ''} />
        <label for="contact-message">Message (required)</label>
        <textarea id="contact-message" name="message" required rows={8} maxLength={10000}>
          {v.message ?? ''}
        </textarea>
        <div class="contact-hp" aria-hidden="true">
          <label for="contact-website">Leave this field empty</label>
          <input id="contact-website" name={HONEYPOT_FIELD} tabIndex={-1} autocomplete="off" value="" />
        </div>
        <button type="submit">Send message</button>
      </form>
    </Layout>
  );
}

export function ContactThanksPage() {
  return (
    <Layout title="Message sent" description="Your message reached us.">
      <h1>Thank you</h1>
      <p role="status">
        Your message reached us. We sent a confirmation to your email address; reply to it to add anything.
      </p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </Layout>
  );
}

export function ContactLimitedPage(props: { message: string }) {
  return (
    <Layout title="Please wait">
      <h1>Please try again later</h1>
      <p class="error" role="alert">
        {props.message}
      </p>
    </Layout>
  );
}
