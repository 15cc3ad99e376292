import { candidatePasswords, PasswordBook } from './passwords';

describe('candidatePasswords', () => {
  it('orders the parameter, then temp_data.passwords, then the defaults, without blanks or repeats', () => {
    const task = { params: { password: 'given' }, temp_data: { passwords: ['shared', 7, '', 'infected'] } };
    expect(candidatePasswords(task, ['infected', 'password'])).toEqual(['given', 'shared', 'infected', 'password']);
  });

  it('ignores an empty parameter and a temp_data.passwords that is not a list', () => {
    expect(candidatePasswords({ params: { password: '' }, temp_data: { passwords: 'nope' } }, ['infected'])).toEqual(['infected']);
  });
});

describe('PasswordBook', () => {
  it('tries the password that already worked first', () => {
    const book = new PasswordBook(['a', 'b', 'c']);
    book.worked('c');
    expect(book.ordered()).toEqual(['c', 'a', 'b']);
    expect(book.used).toEqual(['c']);
  });
});
