import { isBodyTooLarge, toGitHubError } from './errors';

/** The shape Octokit's RequestError has (status, response.data), without a server. */
function requestError(status: number, data: unknown): Error {
  return Object.assign(new Error('Validation Failed'), { status, response: { data } });
}

describe('isBodyTooLarge', () => {
  it('recognizes the 422 GitHub gives today for a comment body over the limit', () => {
    const data = {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: 'Body is too long (maximum is 65536 characters)',
        },
      ],
    };
    expect(isBodyTooLarge(requestError(422, data))).toBe(true);
  });

  it('recognizes the older form of the same 422', () => {
    const data = {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    };
    expect(isBodyTooLarge(requestError(422, data))).toBe(true);
  });

  it('does not take another validation failure for a size problem', () => {
    const data = {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
    };
    expect(isBodyTooLarge(requestError(422, data))).toBe(false);
  });
});

describe('toGitHubError', () => {
  it("names the operation, the status and GitHub's reason, with a hint people can act on", () => {
    const error = toGitHubError(requestError(401, { message: 'Bad credentials' }), 'listing comments on acme/infra#4');
    expect(error.code).toBe('GITHUB_API_ERROR');
    expect(error.details).toEqual({ operation: 'listing comments on acme/infra#4', status: 401 });
    expect(error.message).toBe(
      'listing comments on acme/infra#4 failed: HTTP 401 Bad credentials (the token was refused: check GITHUB_TOKEN)',
    );
  });

  it('reports GraphQL errors, which come with HTTP 200, without a status', () => {
    const graphqlError = Object.assign(new Error('Request failed'), {
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
    });
    const error = toGitHubError(graphqlError, 'minimizing');
    expect(error.details.status).toBeUndefined();
    expect(error.message).toBe('minimizing failed: Resource not accessible by integration');
  });
});
