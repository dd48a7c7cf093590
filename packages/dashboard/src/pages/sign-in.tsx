import { useState } from 'preact/hooks';
import { makeClient } from '../api.js';
import { ErrorBox, useAction } from '../components.js';

interface Signed {
  label: string;
  admin: boolean;
  csrfToken: string | null;
}

/** Email and password, or (the admin) an API token: the API sets an HttpOnly session cookie. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Signed) => void }) {
  const [withToken, setWithToken] = useState(false);
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body = withToken ? { token: String(form.get('token')) } : { email: String(form.get('email')), password: String(form.get('password')) };
    void action.run(async () => onSignedIn(await makeClient().call('createSession', { body })));
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Dozen</h1>
      <form onSubmit={submit} aria-label="Sign in">
        {withToken ? (
          <label>API token<input name="token" type="password" autocomplete="off" required /></label>
        ) : (
          <>
            <label>Email<input name="email" type="email" autocomplete="username" required /></label>
            <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
          </>
        )}
        <button type="submit" class="primary" disabled={action.busy}>Sign in</button>
      </form>
      <button type="button" class="link" onClick={() => setWithToken(!withToken)}>{withToken ? 'Sign in with email and password' : 'Sign in with an API token (admin)'}</button>
      <ErrorBox error={action.error} />
    </main>
  );
}
