import { describe, expect, it } from 'vitest';
import { loadMapping } from '../../shared/config/mapping.js';
import { dbUserArn, sessionPolicy } from '../../shared/sts/session-policy.js';

const target = loadMapping('config/mapping.yaml').targets['orders-prod']!;

describe('the session policy', () => {
  it('allows rds-db:connect on exactly the granted dbuser ARN', () => {
    const policy = JSON.parse(sessionPolicy(target, 'app_reader'));

    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:' +
          'cluster-ABCDEFGHIJKL0123456789/app_reader',
      }],
    });
  });

  it('uses the target partition', () => {
    expect(dbUserArn({ ...target, partition: 'aws-cn', region: 'cn-north-1' },
      'u')).toBe('arn:aws-cn:rds-db:cn-north-1:111122223333:dbuser:' +
      'cluster-ABCDEFGHIJKL0123456789/u');
  });
});
