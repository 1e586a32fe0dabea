import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { cannedTemplateProblems, renderCanned, templateVariables } from './canned.ts';

const ctx = {
  customer: { name: 'Ana María López', handle: '@ana' },
  agent: { name: 'Sam Lee' },
  conversation: { id: 'C-1042' },
};

describe('renderCanned', () => {
  it('fills variables, tolerating spaces, and derives first names', () => {
    expect(
      renderCanned('Hi {{customer.first_name}}, {{ agent.first_name }} here (ref {{conversation.id}}).', ctx),
    ).toBe('Hi Ana, Sam here (ref C-1042).');
    expect(renderCanned('{{customer.name}}', ctx)).toBe('Ana María López');
  });

  it('uses fallbacks for missing or blank values', () => {
    expect(renderCanned('Hi {{customer.first_name | there}}!', {})).toBe('Hi there!');
    expect(renderCanned('Hi {{customer.first_name|}}!', { customer: { name: '  ' } })).toBe('Hi !');
  });

  it('lists every missing variable in one error', () => {
    try {
      renderCanned('{{customer.name}} {{brand.name}} {{brand.name}} {{agent.first_name}}', {
        customer: { name: null },
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({
        code: 'canned_reply_missing_variables',
        kind: 'invalid',
        details: { missing: ['customer.name', 'brand.name', 'agent.first_name'] },
      });
    }
  });

  it('leaves text without variables untouched and renders numbers', () => {
    expect(renderCanned('Plain {text} and } braces', {})).toBe('Plain {text} and } braces');
    expect(renderCanned('#{{conversation.id}}', { conversation: { id: 7 } })).toBe('#7');
  });
});

describe('template checks', () => {
  it('lists variables with fallbacks', () => {
    expect(templateVariables('{{a.b}} {{ c.d | x y }}')).toEqual([
      { name: 'a.b', fallback: null },
      { name: 'c.d', fallback: 'x y' },
    ]);
  });
  it('flags unknown variables and malformed braces', () => {
    expect(cannedTemplateProblems('Hi {{customer.name}}')).toEqual([]);
    expect(cannedTemplateProblems('Hi {{customer.nmae}} {{customer.nmae}}')).toEqual([
      'unknown variable {{customer.nmae}}',
    ]);
    expect(cannedTemplateProblems('Hi {{customer.name}')).toEqual(['unbalanced or malformed {{ }}']);
    expect(cannedTemplateProblems('Hi {{ name }}')).toEqual(['unbalanced or malformed {{ }}']);
    expect(cannedTemplateProblems('{{shop.code}}', ['shop.code'])).toEqual([]);
  });
});
