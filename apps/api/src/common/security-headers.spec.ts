import { IncomingMessage, ServerResponse } from 'http';
import { Socket } from 'net';
import helmet from 'helmet';
import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  const response = () => {
    const req = new IncomingMessage(new Socket());
    const res = new ServerResponse(req);
    res.setHeader('X-Powered-By', 'Express');
    res.setHeader('Content-Type', 'application/json');
    return { req, res };
  };

  it("gives a response exactly helmet()'s headers, X-Powered-By removed", () => {
    const theirs = response();
    const ours = response();
    let nexts = 0;
    helmet()(theirs.req, theirs.res, () => nexts++);
    securityHeaders()(ours.req, ours.res, () => nexts++);
    expect(nexts).toBe(2);
    expect(ours.res.getHeaders()).toEqual(theirs.res.getHeaders());
    expect(Object.keys(ours.res.getHeaders())).toEqual(Object.keys(theirs.res.getHeaders()));
    expect(ours.res.getHeader('x-powered-by')).toBeUndefined();
    expect(ours.res.getHeader('content-security-policy')).toMatch(/default-src 'self'/);
  });
});
